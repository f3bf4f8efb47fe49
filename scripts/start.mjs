// `npm start`: builds the package and the local endpoint, starts the endpoint
// with the demo seed, serves www/ and prints where to go and how to sign in.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { demoMounts, serveStatic } from './static-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ENDPOINT_PORT = Number(process.env.ENDPOINT_PORT ?? 9229);
const DEMO_PORT = Number(process.env.DEMO_PORT ?? 8080);

for (const step of [['scripts/setup.sh', '--build'], ['scripts/build.sh']]) {
  const run = spawnSync('bash', step, { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

const seedPath = 'local-endpoint/seeds/demo.json';
const endpoint = spawn('target/release/cognito-local', ['--seed', seedPath, '--port', String(ENDPOINT_PORT)], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
endpoint.on('exit', (code) => {
  console.error(`cognito-local stopped (exit ${code}); is port ${ENDPOINT_PORT} taken? Set ENDPOINT_PORT.`);
  process.exit(1);
});

const site = await serveStatic(demoMounts(root), DEMO_PORT);
const seed = JSON.parse(readFileSync(`${root}/${seedPath}`, 'utf8'));
const pool = seed.userPools[0];
const user = pool.users.find((u) => u.status === 'CONFIRMED');
const [idpUser] = pool.identityProviders[0].users;
console.log(`
  cognito-wasm demo:   ${site.url.replace('127.0.0.1', 'localhost')}/  (localhost: the pool's passkey relying party id)
  local Cognito API:   http://127.0.0.1:${ENDPOINT_PORT}
  user pool / client:  ${pool.id} / ${pool.clients[0].clientId}
  sign in as:          ${user.username} (or ${user.attributes.email}) / ${user.password}
  managed login:       "Continue with ExampleIdP" as ${idpUser.username} / ${idpUser.password}, or the hosted sign-in page

  Press Ctrl+C to stop.`);

const stop = () => {
  endpoint.removeAllListeners('exit');
  endpoint.kill();
  site.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
