// Target (2): what each client's sign-in path weighs in a browser app, all
// built the same way: esbuild --bundle --minify --format=esm
// --platform=browser on an entry that imports the sign-in API, then gzip -9.
// Ours ships a .wasm beside the JS glue; it is measured as scripts/build.sh
// leaves it in pkg/ (whatever that script does to shrink it, the package ships).
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { bundleForBrowser } from './lib/esbuild.mjs';

const here = new URL('.', import.meta.url);
const CLIENTS = [
  { name: 'ours', label: 'cognito-wasm (CognitoAuth)', entry: 'size-entries/ours.mjs', wasm: '../pkg/cognito_wasm_bg.wasm' },
  { name: 'acij', label: 'amazon-cognito-identity-js 6.3', entry: 'size-entries/acij.mjs' },
  { name: 'amplify', label: 'Amplify v6 (aws-amplify/auth)', entry: 'size-entries/amplify.mjs' },
];

const measure = (bytes) => ({ min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });

/** Resolves to [{ name, label, js: {min, gzip}, wasm?: {min, gzip}, total: {min, gzip} }]. */
export async function measureSizes() {
  const rows = [];
  for (const client of CLIENTS) {
    const js = measure(await bundleForBrowser(new URL(client.entry, here).pathname, { minify: true }));
    const wasm = client.wasm ? measure(await readFile(new URL(client.wasm, here))) : undefined;
    const total = { min: js.min + (wasm?.min ?? 0), gzip: js.gzip + (wasm?.gzip ?? 0) };
    rows.push({ name: client.name, label: client.label, js, wasm, total });
  }
  return rows;
}
