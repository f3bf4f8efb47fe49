// Writes a .wasm file as a JS module, beside it, for the package's server
// entries (js/server.js, js/admin-server.js):
//
//   node scripts/inline-wasm.mjs pkg/cognito_wasm_bg.wasm   # -> pkg/cognito_wasm_bg.wasm.js
//
// The module's default export is the wasm's bytes (a Uint8Array), decoded
// from base64 when it is imported. Server bundlers (Next.js's webpack and
// Turbopack) move a .wasm that `new URL(..., import.meta.url)` names to where
// only browsers fetch it, and Deno reads a file only with --allow-read; bytes
// inside the JS go wherever the JS goes.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const [wasmPath] = process.argv.slice(2);
if (!wasmPath?.endsWith('.wasm')) throw new Error('usage: node scripts/inline-wasm.mjs MODULE.wasm');
const base64 = readFileSync(wasmPath).toString('base64');
writeFileSync(
  `${wasmPath}.js`,
  `// ${basename(wasmPath)} in base64 (scripts/inline-wasm.mjs): the wasm of the server entries.\n` +
    `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));\n`,
);
