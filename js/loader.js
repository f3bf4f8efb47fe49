// The one wasm loader of the package: the sign-in module (index.js), the
// account module (account.js) and the admin module (admin.js) all load
// through `instantiate`.

// Each module's load (keyed by its glue's `finalize`), until one fails.
const loads = new Map();

/**
 * Compiles and instantiates a wasm module of this package once; later calls
 * wait for the same load, and a failed load is forgotten so that the next
 * call tries again. `input` is what the app passed to init (a URL, Request,
 * Response, BufferSource or WebAssembly.Module, or a promise of one); without
 * it, `defaultUrl()` names the .wasm beside the glue, which is fetched, or
 * read from disk where `fetch` cannot read a file:// URL (Node). `imports`
 * and `finalize` are the module's glue's
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
  let source = (await input) ?? defaultUrl();
  // Node's fetch reads no file: URL (Deno's and Bun's do); no import(), which bundlers would follow.
  const fs = source instanceof URL && source.protocol === 'file:' && globalThis.process?.getBuiltinModule?.('fs/promises');
  if (fs) source = await fs.readFile(source);
  if (typeof source === 'string' || source instanceof URL || source instanceof Request) source = await fetch(source);
  let made;
  if (source instanceof Response) {
    if (!source.ok) throw new Error(`HTTP ${source.status} from ${source.url}`, { cause: source });
    // Streaming compilation needs the wasm MIME type; else from the bytes.
    made = await (source.headers.get('Content-Type') === 'application/wasm'
      ? WebAssembly.instantiateStreaming(source, imports())
      : WebAssembly.instantiate(await source.arrayBuffer(), imports()));
  } else made = await WebAssembly.instantiate(source, imports());
  finalize(made.instance ?? made);
}

/**
 * The wasm of each module where the entry of a runtime placed it, as init's
 * `input` (js/server.js, js/workerd.js, js/admin-server.js,
 * js/admin-workerd.js set it); unset, a module's .wasm is found beside its glue.
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

/** A NetworkError for a part of this package that did not load. */
export function loadError(part, cause) {
  const error = new Error(`could not load the ${part} module of cognito-wasm (${cause}); check the network, then call again`, { cause });
  error.name = 'NetworkError';
  return error;
}
