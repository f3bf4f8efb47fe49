// Target (3): wall-clock latency of full sign-ins against the local endpoint
// (two round trips, the server's SRP work and the client's), ours against
// amazon-cognito-identity-js, alternating so both see the same conditions.
import { acijClient, ourClient } from '../lib/sign-in-clients.mjs';
import { breathe, summarize } from '../lib/stats.mjs';

export async function runLatency(config, { count = 50, warmup = 3 } = {}) {
  const ours = await ourClient(config);
  const clients = { ours: ours.signIn, acij: acijClient(config).signIn };
  for (let i = 0; i < warmup; i++) for (const signIn of Object.values(clients)) await signIn();
  const samples = { ours: [], acij: [] };
  for (let i = 0; i < count; i++) {
    // Swap the order every iteration so neither always follows the other.
    const order = i % 2 === 0 ? ['ours', 'acij'] : ['acij', 'ours'];
    for (const name of order) {
      const start = performance.now();
      await clients[name]();
      samples[name].push(performance.now() - start);
      await breathe();
    }
  }
  ours.auth.free();
  return { ours: summarize(samples.ours), acij: summarize(samples.acij) };
}
