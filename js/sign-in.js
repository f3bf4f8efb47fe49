// The sign-in module's glue, as index.js loads it (a dynamic import, so that
// bundlers put it in a chunk of its own, fetched with the wasm): only what
// the package uses, so that bundlers drop wasm-bindgen's own loader.
import { prepareStep } from '../pkg/cognito_wasm.js';

export { Client, imports, finalize } from '../pkg/cognito_wasm.js';

let prepared;

/**
 * Prepares the first sign-in once the module has loaded: the tables of
 * powers of g it uses (public values), one per task, so that the first
 * sign-in does not build them all in one task that blocks the page (about a
 * tenth of a second on a slow phone).
 */
export function prepare() {
  return (prepared ??= (async () => {
    for (let step = 0; prepareStep(step); step++) await new Promise((resolve) => setTimeout(resolve));
  })());
}
