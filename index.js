// The package entry: re-exports the wasm-bindgen classes and wraps the
// generated initialiser so that `init()` is idempotent and also works in
// Node, where `fetch` cannot read a file:// URL.
import initWasm, { CognitoAuth } from './pkg/cognito_wasm.js';

export { CognitoAuth };

let ready;

/**
 * Compiles and instantiates the wasm module once; later calls return the
 * same promise. `input` is optional: a URL, Response, BufferSource or
 * WebAssembly.Module of `cognito_wasm_bg.wasm` for hosts that move it.
 */
export default function init(input) {
  ready ??= instantiate(input).catch((error) => {
    ready = undefined; // let the app retry after, say, a network failure
    throw error;
  });
  return ready;
}

async function instantiate(input) {
  const wasmUrl = new URL('./pkg/cognito_wasm_bg.wasm', import.meta.url);
  if (input === undefined && wasmUrl.protocol === 'file:') {
    // Node and other server runtimes: read the file instead of fetching it.
    // The specifier is in a variable so that bundlers leave it alone.
    const fs = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fs);
    input = await readFile(wasmUrl);
  }
  await initWasm({ module_or_path: input ?? wasmUrl });
}
