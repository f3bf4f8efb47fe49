// The Node side of the benchmark: `node bench/node/phase.mjs <phase> [config-json]`
// runs one phase in a fresh process (so start-up is really cold and phases do
// not share a heap) and prints its result as JSON on the last stdout line.
import { readFile } from 'node:fs/promises';

const [phase, configJson = '{}'] = process.argv.slice(2);
const config = JSON.parse(configJson);

const phases = {
  // Import to ready: performance.now() counts from process start, so take
  // the first reading just before the import.
  async startup() {
    const start = performance.now();
    const { default: init } = await import('cognito-wasm');
    const imported = performance.now();
    await init();
    const ready = performance.now();
    return { importMs: imported - start, initMs: ready - imported, totalMs: ready - start };
  },
  async maths() {
    const wasmDir = new URL('../.work/wasm/', import.meta.url);
    const { default: initBench, ...benchWasm } = await import(new URL('cognito_wasm_bench.js', wasmDir));
    await initBench({ module_or_path: await readFile(new URL('cognito_wasm_bench_bg.wasm', wasmDir)) });
    const { runMaths } = await import('../suites/maths.mjs');
    return runMaths(benchWasm);
  },
  async latency() {
    const { runLatency } = await import('../suites/latency.mjs');
    return runLatency(config);
  },
  async memory() {
    const { runMemory } = await import('../suites/memory.mjs');
    // index.js imports this very file, so this is the same, initialised instance.
    const wasmMemoryBytes = async () => {
      const { default: initPkg } = await import('../../pkg/cognito_wasm.js');
      return (await initPkg()).memory.buffer.byteLength;
    };
    return runMemory(config, wasmMemoryBytes);
  },
};

if (!phases[phase]) {
  console.error(`unknown phase ${phase}; one of ${Object.keys(phases).join(', ')}`);
  process.exit(2);
}
const result = await phases[phase]();
console.log(JSON.stringify(result));
