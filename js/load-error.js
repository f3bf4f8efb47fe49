// Why a wasm module of this package did not load, said so that a person can
// fix it: the WasmLoadError of each cause the app (or its host) can fix.
// loader.js's `failedLoad` imports this chunk only after a load failed, so
// these words cost nothing on the way to a sign-in; a failure that is none
// of these (a fetch that failed, an HTTP 5xx) stays a NetworkError.

/** How the app places each part's wasm: the package export of the file, and the init call that takes it (`what`). */
const PLACES = {
  'sign-in': ['cognito-wasm/sign-in.wasm', (what) => `init(${what}) of 'cognito-wasm'`],
  account: ['cognito-wasm/account.wasm', (what) => `init(signIn, ${what}) of 'cognito-wasm'`],
  admin: ['cognito-wasm/admin.wasm', (what) => `init(${what}) of 'cognito-wasm/admin'`],
};

/**
 * The WasmLoadError for `cause`, the failure of loading `part`'s wasm
 * ('sign-in', 'account' or 'admin'), or null when it is not one the app can
 * fix (then loader.js makes it a NetworkError). The causes, as each runtime
 * reports them:
 * - not found: an HTTP 404 or 410 (loader.js's error, whose cause is the
 *   Response), a missing file (Node's ENOENT, Deno's NotFound);
 * - the Content Security Policy: a CompileError whose message names it
 *   (Chromium, Safari: 'unsafe-eval'; Firefox: "blocked by CSP");
 * - a runtime that compiles no wasm from bytes (Cloudflare Workers: "Wasm
 *   code generation disallowed by embedder");
 * - no read permission: Deno's NotCapable (PermissionDenied before Deno 2),
 *   Node's EACCES (the file's mode) and ERR_ACCESS_DENIED (--permission);
 * - a URL this runtime cannot fetch: a path without a host in server code
 *   (a bundler's browser asset; Node: "Failed to parse URL", workerd:
 *   "Invalid URL string");
 * - not wasm: a CompileError on the first bytes (a server's page for an
 *   unknown path); or not this version's wasm: a LinkError.
 */
export function explain(part, cause) {
  const [file, init] = PLACES[part] ?? [];
  if (!file) return null;
  const text = String(cause?.message ?? cause);
  const status = cause?.cause?.status;
  let message;
  if (status === 404 || status === 410 || cause?.code === 'ENOENT' || cause?.name === 'NotFound') {
    message =
      `the ${part} wasm is not at ${cause.cause?.url || cause.path || 'its URL'} (${status ? `HTTP ${status}` : 'no such file'}). ` +
      `A bundler that does not copy it (esbuild, or Rollup without an assets plugin) needs it placed: ` +
      `import '${file}' as a file (its URL) and pass that URL: ${init('url')}. README: "Use it with…"`;
  } else if (/Content.Security.Policy|\bCSP\b|unsafe-eval/i.test(text)) {
    message =
      "the page's Content Security Policy forbids compiling WebAssembly: add 'wasm-unsafe-eval' to its script-src " +
      "(not 'unsafe-eval', which also allows eval). README: \"Content Security Policy\"";
  } else if (/disallowed by embedder/i.test(text)) {
    message =
      `this runtime compiles no WebAssembly from bytes (${text}), as Cloudflare Workers do not: pass the ` +
      `WebAssembly.Module of an imported '${file}': ${init('module')} (the package's workerd entry does, for wrangler)`;
  } else if (['NotCapable', 'PermissionDenied'].includes(cause?.name) || ['EACCES', 'ERR_ACCESS_DENIED'].includes(cause?.code)) {
    message =
      `no permission to read the ${part} wasm${cause.resource ? ` at ${cause.resource}` : ''} (${text}): allow it (Deno: --allow-read, Node: --allow-fs-read), or ` +
      "import the package by name ('npm:cognito-wasm' in Deno): its entry for servers has the wasm inside its JS";
  } else if (/Invalid URL|parse URL/i.test(`${text} ${cause?.cause?.message}`)) {
    message =
      `the ${part} wasm's URL cannot be fetched here (${text}): a bundler gave it a browser asset's path in code ` +
      `that runs on a server. Let the bundler resolve the package with its server conditions (node, react-server, ` +
      `workerd), or pass the wasm itself (the bytes, or the WebAssembly.Module, of '${file}'): ${init('wasm')}`;
  } else if (cause instanceof WebAssembly.CompileError) {
    message =
      `what was served as the ${part} wasm is not WebAssembly (${text}): a server that answers an unknown path with ` +
      `a page does so. Serve '${file}' at that URL, or pass its URL: ${init('url')}`;
  } else if (cause instanceof WebAssembly.LinkError) {
    message = `the ${part} wasm does not fit this version of cognito-wasm (${text}): serve the .wasm of the same version`;
  } else return null;
  const error = new Error(`cognito-wasm: ${message}`, { cause });
  error.name = 'WasmLoadError';
  return error;
}
