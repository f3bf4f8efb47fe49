// The package entry for Cloudflare Workers (the `workerd` export condition,
// which wrangler sets): index.js, with the wasm modules imported as modules.
// Workers compile no wasm from bytes at run time; a .wasm import is compiled
// when the Worker is uploaded (wrangler's default rule for `*.wasm`), and
// `import.meta.url`, where index.js looks for its .wasm by default, is not
// a URL there.
import './workerd-wasm.js'; // first, so that the wasm is placed before index.js runs
export * from './index.js';
export { default } from './index.js';
