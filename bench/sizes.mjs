// What each client's sign-in path weighs in a browser app, all built the
// same way: esbuild --bundle --minify --format=esm --platform=browser on an
// entry that imports the sign-in API, then gzip -9. Ours ships a .wasm beside
// the JS glue; it is measured as scripts/build.sh leaves it in pkg/.
//
// Ours is bundled with --splitting, as an app's bundler splits off a dynamic
// import: the sign-in path is the chunks the entry loads up front, the chunk
// of js/sign-in.js (imported on init() or the first sign-in) and
// pkg/cognito_wasm_bg.wasm, as tests/e2e/size.test.mjs counts it against its
// budget (docs/size.md). The account module (the chunk of js/account.js, plus
// pkg/account/cognito_wasm_account_bg.wasm) is its own row, so nothing is hidden.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { bundleForBrowser, bundleSplit } from './lib/esbuild.mjs';

const here = new URL('.', import.meta.url);
const CLIENTS = [
  { name: 'ours', label: 'cognito-wasm (CognitoAuth)', entry: 'size-entries/ours.mjs', wasm: '../pkg/cognito_wasm_bg.wasm', lazyWasm: '../pkg/account/cognito_wasm_account_bg.wasm' },
  { name: 'acij', label: 'amazon-cognito-identity-js 6.3', entry: 'size-entries/acij.mjs' },
  { name: 'amplify', label: 'Amplify v6 (aws-amplify/auth)', entry: 'size-entries/amplify.mjs' },
];

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const measure = (bytes) => ({ min: bytes.length, gzip: gzip(bytes) });
/** Files served one by one: their sizes added up, each gzipped on its own. */
const measureFiles = (files) => ({ min: files.reduce((sum, f) => sum + f.length, 0), gzip: files.reduce((sum, f) => sum + gzip(f), 0) });
const row = (name, label, js, wasm) => ({ name, label, js, wasm, total: { min: js.min + (wasm?.min ?? 0), gzip: js.gzip + (wasm?.gzip ?? 0) } });

/** Resolves to [{ name, label, js: {min, gzip}, wasm?: {min, gzip}, total: {min, gzip} }]. */
export async function measureSizes() {
  const rows = [];
  for (const client of CLIENTS) {
    const entry = new URL(client.entry, here).pathname;
    if (!client.wasm) {
      rows.push(row(client.name, client.label, measure(await bundleForBrowser(entry, { minify: true }))));
      continue;
    }
    const { eager, loads } = await bundleSplit(entry);
    const loadsOf = (file) => Object.entries(loads).find(([path]) => path.endsWith(`js/${file}`))?.[1] ?? [];
    const signIn = [...eager, ...loadsOf('sign-in.js')];
    rows.push(row(client.name, client.label, measureFiles(signIn), measure(await readFile(new URL(client.wasm, here)))));
    const label = 'cognito-wasm account module (loaded on the first refresh or account call)';
    rows.push(row(`${client.name}-account`, label, measureFiles(loadsOf('account.js')), measure(await readFile(new URL(client.lazyWasm, here)))));
  }
  return rows;
}
