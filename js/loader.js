// The one wasm loader of the package: the sign-in module (index.js), the
// account module (account.js) and the admin module (admin.js) all load
// through `instantiate`.

/** How long a .wasm may take to arrive, its body included (requestTimeout's default). */
const LOAD_TIMEOUT_MS = 30_000;

// Each module's load (keyed by its glue's `finalize`), until one fails.
const loads = new Map();

/**
 * Compiles and instantiates a wasm module of this package once; later calls
 * wait for the same load, and a failed load is forgotten so that the next
 * call tries again. `input` is what the app passed to init (a URL, Request,
 * Response, BufferSource or WebAssembly.Module, or a promise of one); without
 * it, `defaultUrl()` names the .wasm beside the glue, which is fetched, or
 * read from disk in Node and other server runtimes, where `fetch` cannot read
 * a file:// URL. `imports` and `finalize` are the module's glue's
 * (wasm-bindgen's imports object, and the step that keeps the instance;
 * scripts/wasm-names.mjs exports them).
 */
export function instantiate(input, defaultUrl, { imports, finalize }) {
  let load = loads.get(finalize);
  if (!load) {
    load = compile(input, defaultUrl, imports, finalize).catch((error) => {
      loads.delete(finalize);
      throw error;
    });
    loads.set(finalize, load);
  }
  return load;
}

async function compile(input, defaultUrl, imports, finalize) {
  let source = await input;
  if (source === undefined) {
    const url = defaultUrl();
    if (url.protocol === 'file:') {
      // In a variable, so that bundlers leave it alone.
      const fs = 'node:fs/promises';
      source = await (await import(/* @vite-ignore */ fs)).readFile(url);
    } else source = url;
  }
  // A load that stalls gives up (a NetworkError), so that the next call tries again.
  if (typeof source === 'string' || source instanceof URL || source instanceof Request) {
    source = await fetch(source, { signal: AbortSignal.timeout(LOAD_TIMEOUT_MS) });
  }
  let made;
  if (source instanceof Response) {
    if (!source.ok) throw new Error(`HTTP ${source.status} from ${source.url}`);
    // Streaming compilation needs the wasm MIME type; else from the bytes.
    made = await (source.headers.get('Content-Type') === 'application/wasm'
      ? WebAssembly.instantiateStreaming(source, imports())
      : WebAssembly.instantiate(await source.arrayBuffer(), imports()));
  } else made = await WebAssembly.instantiate(source, imports());
  finalize(made.instance ?? made);
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
