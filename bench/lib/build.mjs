// Makes sure every artefact the benchmark loads exists, building only what
// is missing, except the bench crate, which is always (incrementally) built so
// that its maths match the current src/.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { bundleForBrowser } from './esbuild.mjs';

const env = { ...process.env, PATH: `${homedir()}/.cargo/bin:${process.env.PATH}` };

function run(root, command, args) {
  console.error(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

const targetDir = (root) => process.env.CARGO_TARGET_DIR ?? join(root, 'target');

/** cognito-wasm-bench (signInMaths, modPow) into bench/.work/wasm. */
function buildBenchWasm(root) {
  run(root, 'cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'cognito-wasm-bench']);
  const wasm = join(targetDir(root), 'wasm32-unknown-unknown/release/cognito_wasm_bench.wasm');
  run(root, 'wasm-bindgen', ['--target', 'web', '--out-dir', 'bench/.work/wasm', wasm]);
}

const newest = (dir) =>
  Math.max(...readdirSync(dir, { recursive: true }).map((f) => statSync(join(dir, f)).mtimeMs));

/**
 * pkg/ as scripts/build.sh makes it. Built when missing or when `rebuild`;
 * otherwise left alone (other work may be using it) and reported as stale
 * when src/ has changed since, so the results say what they measured.
 */
function ensurePkg(root, rebuild) {
  const wasm = join(root, 'pkg/cognito_wasm_bg.wasm');
  if (rebuild || !existsSync(wasm) || !existsSync(join(root, 'pkg/cognito_wasm.js'))) {
    run(root, 'bash', ['scripts/build.sh']);
  }
  return pkgState(root);
}

/** When pkg/ was built, whether src/ changed since, and whether build.sh runs wasm-opt. */
export function pkgState(root) {
  const built = statSync(join(root, 'pkg/cognito_wasm_bg.wasm')).mtimeMs;
  const sources = Math.max(newest(join(root, 'src')), statSync(join(root, 'Cargo.toml')).mtimeMs);
  const buildScript = readFileSync(join(root, 'scripts/build.sh'), 'utf8');
  return {
    built: new Date(built).toISOString(),
    stale: sources > built,
    wasmOpt: /^[^#\n]*wasm-opt\s[^\n]*-O/m.test(buildScript),
  };
}

/** The local Cognito endpoint binary (scripts/build.sh builds it too). */
function ensureEndpoint(root) {
  const binary = join(targetDir(root), 'release/cognito-local');
  if (!existsSync(binary)) run(root, 'cargo', ['build', '--release', '-p', 'cognito-local']);
  return binary;
}

/** Builds or checks everything; resolves to { pkg: {built, stale}, endpointBinary }. */
export async function prepare(root, { rebuildPkg = false } = {}) {
  buildBenchWasm(root);
  const pkg = ensurePkg(root, rebuildPkg);
  const endpointBinary = ensureEndpoint(root);
  // The page's bundle: suites, baseline, amazon-cognito-identity-js and the
  // bench wasm glue; the package itself stays external (import map).
  await bundleForBrowser(join(root, 'bench/browser-page/entry.mjs'), {
    external: ['cognito-wasm'],
    outfile: join(root, 'bench/.work/browser/entry.js'),
  });
  return { pkg, endpointBinary };
}
