// The sign-in module's glue, as index.js loads it (a dynamic import, so that
// bundlers put it in a chunk of its own, fetched with the wasm): only what
// the package uses, so that bundlers drop wasm-bindgen's own loader.
import { prepareStep } from '../pkg/cognito_wasm.js';

export { Client, imports, finalize } from '../pkg/cognito_wasm.js';

let prepared;

/**
 * Prepares sign-ins once the module has loaded: the tables of powers of g
 * they use (public values), one per task, beside a first sign-in that may
 * already run (it computes g^a without them), so that no task builds them
 * all and blocks the page (about a tenth of a second on a slow phone).
 */
export function prepare() {
  prepared ??= (async () => {
    for (let step = 0; ; step++) {
      await new Promise((resolve) => setTimeout(resolve));
      if (!prepareStep(step)) break;
    }
  })();
}
