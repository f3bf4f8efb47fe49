// The sign-in module's glue, as index.js loads it (a dynamic import, so that
// bundlers put it in a chunk of its own, fetched with the wasm): only what
// the package uses, so that bundlers drop wasm-bindgen's own loader.
export { Client, imports, finalize } from '../pkg/cognito_wasm.js';
