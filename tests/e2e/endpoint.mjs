// Starts the local Cognito endpoint (target/release/cognito-local, built
// beforehand with `cargo build --release -p cognito-local`) on a free port.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BINARY = fileURLToPath(new URL('../../target/release/cognito-local', import.meta.url));
const LISTENING = /^cognito-local listening on (http:\/\/127\.0\.0\.1:\d+)$/;
const START_TIMEOUT_MS = 30_000;

/**
 * Spawns `cognito-local --seed <seedPath> --port 0` and resolves once it
 * prints its listening line.
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startEndpoint(seedPath) {
  if (!existsSync(BINARY)) {
    throw new Error(`${BINARY} is missing: run \`cargo build --release -p cognito-local\` first`);
  }
  const child = spawn(BINARY, ['--seed', seedPath, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const url = await listeningUrl(child, exited, () => stderr);
    return { url, stop: () => stop(child, exited) };
  } catch (error) {
    await stop(child, exited);
    throw error;
  }
}

function listeningUrl(child, exited, stderr) {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`cognito-local did not start in time: ${stderr()}`)), START_TIMEOUT_MS);
    const done = (settle, value) => {
      clearTimeout(timer);
      lines.close();
      settle(value);
    };
    lines.on('line', (line) => {
      const match = LISTENING.exec(line.trim());
      if (match) done(resolve, match[1]);
    });
    exited.then((code) => done(reject, new Error(`cognito-local exited (${code}) before listening: ${stderr()}`)));
  });
}

async function stop(child, exited) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
}
