// The one wasm loader of the package: the sign-in module and the account
// module (index.js) and the admin module (admin.js) all load through
// `instantiate`.

/** How long a .wasm may take to arrive, its body included (requestTimeout's default). */
const LOAD_TIMEOUT_MS = 30_000;

// Each module's load, by its name, until one fails.
const loads = new Map();

/**
 * Compiles and instantiates the wasm module `part` ('sign-in', 'account',
 * 'admin') once, and resolves to its glue; later calls wait for the same
 * load, and a failed load (failedLoad's error, naming `part`) is forgotten
 * so that the next call tries again.
 *
 * The wasm's download and compilation start at once, beside the import of
 * its glue (`glue()`, a dynamic import resolving to the glue module with
 * wasm-bindgen's `imports` and `finalize`, which scripts/wasm-names.mjs
 * exports), not after it: one round trip less before the module is ready.
 * `input` is what the app passed to init (a URL, Request, Response,
 * BufferSource or WebAssembly.Module, or a promise of one), else what a
 * runtime's entry placed (`placed`); without either, `defaultUrl()` names
 * the .wasm in the package, which is fetched, or read from disk where
 * `fetch` cannot read a file:// URL (Node).
 */
export function instantiate(part, input, defaultUrl, glue) {
  let load = loads.get(part);
  if (!load) {
    load = Promise.all([compile(input ?? placed[part], defaultUrl), glue()])
      .then(async ([module, glue]) => {
        glue.finalize(await WebAssembly.instantiate(module, glue.imports()));
        return glue;
      })
      .catch((cause) => {
        loads.delete(part);
        return failedLoad(part, cause);
      });
    loads.set(part, load);
  }
  return load;
}

/** The compiled module of `input` (see `instantiate`). */
async function compile(input, defaultUrl) {
  // Without an input, the fetch starts in this very call: before the glue's import.
  let source = input === undefined ? defaultUrl() : ((await input) ?? defaultUrl());
  // Node's fetch reads no file: URL (Deno's and Bun's do); no import(), which bundlers would follow.
  const fs = source instanceof URL && source.protocol === 'file:' && globalThis.process?.getBuiltinModule?.('fs/promises');
  if (fs) source = await fs.readFile(source);
  // A load that stalls gives up (a NetworkError), so that the next call tries again.
  if (typeof source === 'string' || source instanceof URL || source instanceof Request) {
    source = await fetch(source, { signal: AbortSignal.timeout(LOAD_TIMEOUT_MS) });
  }
  if (source instanceof Response) {
    if (!source.ok) throw new Error(`HTTP ${source.status} from ${source.url}`, { cause: source });
    // Streaming compilation needs the wasm MIME type; else from the bytes.
    return source.headers.get('Content-Type') === 'application/wasm'
      ? WebAssembly.compileStreaming(source)
      : WebAssembly.compile(await source.arrayBuffer());
  }
  return source instanceof WebAssembly.Module ? source : WebAssembly.compile(source);
}

/**
 * The wasm of each module ('sign-in', 'account', 'admin') where the entry of
 * a runtime placed it, as init's `input` (js/server.js, js/workerd.js,
 * js/admin-server.js, js/admin-workerd.js set it); unset, a module's .wasm
 * is found in the package.
 */
export const placed = {};

/**
 * A promise rejected with the error of a part of this package that did not
 * load: a WasmLoadError when load-error.js (loaded only then) names a cause
 * the app can fix, else loadError's NetworkError.
 */
export function failedLoad(part, cause) {
  return import('./load-error.js').then(
    ({ explain }) => {
      throw explain(part, cause) ?? loadError(part, cause);
    },
    () => {
      throw loadError(part, cause);
    },
  );
}

/**
 * `promise`, or a rejection with `signal`'s reason when it aborts first: a
 * call's signal stops its wait for a load (or a refresh) that others share.
 */
export function abortable(promise, signal) {
  return signal
    ? Promise.race([
        promise,
        new Promise((_, reject) => {
          signal.throwIfAborted();
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
      ])
    : promise;
}

/** A NetworkError for a part of this package that did not load. */
export function loadError(part, cause) {
  const error = new Error(`could not load the ${part} module of cognito-wasm (${cause}); check the network, then call again`, { cause });
  error.name = 'NetworkError';
  return error;
}
