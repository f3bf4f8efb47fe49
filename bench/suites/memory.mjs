// Target (4b): the package's wasm linear memory must not keep growing with
// use. Signs in `first` times, reads the memory size, continues to `total`,
// reads it again. `wasmMemoryBytes()` is given by the runtime's entry, which
// reaches the exports through pkg/cognito_wasm.js's init (it resolves to
// them once index.js has initialised the module).
import { ourClient } from '../lib/sign-in-clients.mjs';

export async function runMemory(config, wasmMemoryBytes, { first = 10, total = 1000 } = {}) {
  const { signIn, auth } = await ourClient(config);
  const start = performance.now();
  for (let i = 0; i < first; i++) await signIn();
  const afterFirst = await wasmMemoryBytes();
  for (let i = first; i < total; i++) await signIn();
  const afterTotal = await wasmMemoryBytes();
  auth.free();
  return {
    method: `${total} full sign-ins against the local endpoint, one CognitoAuth`,
    first,
    total,
    afterFirst,
    afterTotal,
    grew: afterTotal > afterFirst,
    seconds: (performance.now() - start) / 1000,
  };
}
