// Next.js: nothing for cognito-wasm. Client components get the browser entry
// (the .wasm files as assets); server components and route handlers get the
// `node` export condition's entry, which has the wasm inside its JS.
//
// The one setting here is this repository's layout: the examples share one
// node_modules in the folder above (examples/), which Turbopack must see as
// the root. An app of its own needs none.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default {
  turbopack: { root },
  outputFileTracingRoot: root,
  distDir: process.env.NEXT_DIST_DIR || '.next',
};
