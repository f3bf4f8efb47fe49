// The package entry for server runtimes (the `node` export condition: Node,
// Deno, Bun, and the server code that bundlers build for them, such as
// Next.js's server components and route handlers): index.js, with the wasm
// modules inside the JS rather than in files beside it. A server bundle may
// move a .wasm where no server reads it (Next.js serves it as a static
// asset), and Deno reads files only with --allow-read; JS goes wherever the
// bundle goes.
import './server-wasm.js'; // first, so that the wasm is placed before index.js runs
export * from './index.js';
export { default } from './index.js';
