// What the vector generators (gen.mjs, device.mjs) share: where the two
// oracles live, deterministic "randomness", the fakes amazon-cognito-identity-js
// runs under, and the record of where the oracles disagree.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const require = createRequire(path.join(root, 'package.json'));
export const cognitoVersion = JSON.parse(
  readFileSync(require.resolve('amazon-cognito-identity-js/package.json'), 'utf8'),
).version;
export const PYTHON = process.env.PYTHON || path.join(root, '.venv', 'bin', 'python');

/**
 * `(label, n) => n bytes` of SHA-256(`<prefix>/<label>/<counter>`) blocks. Each
 * generator keeps its own prefix, so that its vectors stay as they were.
 */
export function deterministicBytes(prefix) {
  return (label, n) => {
    const blocks = [];
    for (let i = 0; blocks.length * 32 < n; i++) {
      blocks.push(createHash('sha256').update(`${prefix}/${label}/${i}`).digest());
    }
    return Buffer.concat(blocks).subarray(0, n);
  };
}

/** Runs `fn` with Date (new Date() and Date.now()) stopped at `unixSeconds`. */
export function withFrozenDate(unixSeconds, fn) {
  const RealDate = globalThis.Date;
  const ms = unixSeconds * 1000;
  class FrozenDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(ms);
      else super(...args);
    }
    static now() {
      return ms;
    }
  }
  globalThis.Date = FrozenDate;
  try {
    return fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

/** A Storage in memory, so that CognitoUser keeps nothing between cases. */
export function memoryStorage() {
  const m = new Map();
  return {
    setItem: (k, v) => m.set(k, String(v)),
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    removeItem: (k) => m.delete(k),
    clear: () => m.clear(),
  };
}

/** Where the oracles disagree; a generator writes nothing unless this stays empty. */
export const failures = [];
export function agree(where, what, js, py) {
  if (js !== py) failures.push(`${where}: ${what}: amazon-cognito-identity-js ${js} != pycognito ${py}`);
}

/** Runs the pycognito oracle `script` (in this folder) with `request` as JSON on stdin. */
export function runPycognito(script, request) {
  const r = spawnSync(PYTHON, [path.join(here, script)], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`cannot run ${PYTHON}: ${r.error.message} (run scripts/setup.sh)`);
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
