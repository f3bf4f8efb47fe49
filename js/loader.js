// The one wasm loader of the package: the sign-in module and the account
// module (index.js) and the admin module (admin.js) all load through
// `instantiate`.

// Each module's load, by its name, until one fails.
const loads = new Map();

/**
 * Compiles and instantiates the wasm module `part` ('sign-in', 'account',
 * 'admin') once, and resolves to its glue; later calls wait for the same
 * load, and a failed load (a NetworkError naming `part`) is forgotten so
 * that the next call tries again.
 *
 * The wasm's download and compilation start at once, beside the import of
 * its glue (`glue()`, a dynamic import resolving to the glue module with
 * wasm-bindgen's `imports` and `finalize`, which scripts/wasm-names.mjs
 * exports), not after it: one round trip less before the module is ready.
 * `input` is what the app passed to init (a URL, Request, Response,
 * BufferSource or WebAssembly.Module, or a promise of one); without it,
 * `defaultUrl()` names the .wasm in the package, which is fetched, or read
 * from disk in Node and other server runtimes, where `fetch` cannot read a
 * file:// URL.
 */
export function instantiate(part, input, defaultUrl, glue) {
  let load = loads.get(part);
  if (!load) {
    load = Promise.all([compile(input, defaultUrl), glue()])
      .then(async ([module, glue]) => {
        glue.finalize(await WebAssembly.instantiate(module, glue.imports()));
        return glue;
      })
      .catch((cause) => {
        loads.delete(part);
        throw loadError(part, cause);
      });
    loads.set(part, load);
  }
  return load;
}

/** The compiled module of `input` (see `instantiate`). */
async function compile(input, defaultUrl) {
  let source = await input;
  if (source === undefined) {
    const url = defaultUrl();
    if (url.protocol === 'file:') {
      // In a variable, so that bundlers leave it alone.
      const fs = 'node:fs/promises';
      source = await (await import(/* @vite-ignore */ fs)).readFile(url);
    } else source = url;
  }
  if (typeof source === 'string' || source instanceof URL || source instanceof Request) source = await fetch(source);
  if (source instanceof Response) {
    if (!source.ok) throw new Error(`HTTP ${source.status} from ${source.url}`);
    // Streaming compilation needs the wasm MIME type; else from the bytes.
    return source.headers.get('Content-Type') === 'application/wasm'
      ? WebAssembly.compileStreaming(source)
      : WebAssembly.compile(await source.arrayBuffer());
  }
  return source instanceof WebAssembly.Module ? source : WebAssembly.compile(source);
}

/** A NetworkError for a part of this package that did not load. */
export function loadError(part, cause) {
  const error = new Error(`could not load the ${part} module of cognito-wasm (${cause}); check the network, then call again`, { cause });
  error.name = 'NetworkError';
  return error;
}
