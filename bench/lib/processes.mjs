// Everything the benchmark starts (endpoint, Node phases, Chromium, the static
// server) is registered here, so one cleanup stops it all, also on failure
// or Ctrl+C. Only these processes are ever killed.
import { spawn } from 'node:child_process';
import { launchChromium as launchSystemChromium } from '../../scripts/chromium.mjs';

const cleanups = [];

/** Registers `stop` to run at cleanup; returns a function that runs it early. */
export function onCleanup(stop) {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    await stop();
  };
  cleanups.push(once);
  return once;
}

/** Stops everything still running, newest first, never throwing. */
export async function cleanup() {
  while (cleanups.length) {
    try {
      await cleanups.pop()();
    } catch (error) {
      console.error(`cleanup: ${error.message}`);
    }
  }
}

/** Kills the child (by its pid, through its handle) if it is still running. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/**
 * Starts cognito-local on a free port (with `args` added to its command
 * line); resolves to { url, stop } once it prints `cognito-local listening
 * on http://127.0.0.1:<port>`.
 */
export function startEndpoint(binary, seed, cwd, args = []) {
  const child = spawn(binary, ['--seed', seed, '--port', '0', ...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = onCleanup(() => stopChild(child));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`cognito-local did not start: ${output}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`cognito-local exited (${code}): ${output}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], stop });
      }
    });
  });
}

/** Runs `node bench/node/phase.mjs <phase> <config>`; resolves to its JSON result. */
export function runNodePhase(root, phase, config = {}) {
  const child = spawn(process.execPath, ['bench/node/phase.mjs', phase, JSON.stringify(config)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = onCleanup(() => stopChild(child));
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      stop();
      if (code !== 0) return reject(new Error(`Node phase ${phase} failed (exit ${code})`));
      resolve(JSON.parse(output.trim().split('\n').at(-1)));
    });
  });
}

/** scripts/chromium.mjs's headless Chromium, closed by cleanup(). */
export async function launchChromium() {
  const browser = await launchSystemChromium();
  onCleanup(() => browser.close());
  return browser;
}
