// Timing and summary helpers shared by the Node and browser runs. Runs in
// both, so it uses only performance.now() and setTimeout.

export const median = (samples) => percentile(samples, 50);

/** Nearest-rank percentile (p in 0..100) of a non-empty sample. */
export function percentile(samples, p) {
  const sorted = [...samples].sort((x, y) => x - y);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Lets the event loop (and the GC) run between samples. */
export const breathe = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Mean ms per call of `batch` back-to-back calls: one sample. */
function timeBatch(fn, batch) {
  const start = performance.now();
  for (let i = 0; i < batch; i++) fn();
  return (performance.now() - start) / batch;
}

/**
 * Times synchronous candidates [{ name, fn, minSamples }] interleaved: every
 * round runs each candidate in turn (rotating who goes first), so drift in
 * the machine's speed hits all of them alike and their ratios come from one
 * run. Each candidate is first warmed up (the JIT and wasm tier-up; jsbn's
 * first call takes about twice its steady time) and given
 * a batch size so one sample lasts about `sampleMs`, well above the timer's
 * resolution (100 us in a page that is not cross-origin isolated).
 * Resolves to { name: { medianMs, samples, batch, raw } } (raw: every sample, ms per call).
 */
export async function timeInterleaved(candidates, { rounds = 8, sampleMs = 25, warmupMs = 300, warmupCalls = 3 } = {}) {
  const plans = candidates.map((candidate) => {
    let calls = 0;
    const start = performance.now();
    while (calls < warmupCalls || performance.now() - start < warmupMs) {
      candidate.fn();
      calls++;
    }
    const perCall = (performance.now() - start) / calls;
    return {
      ...candidate,
      batch: Math.max(1, Math.round(sampleMs / perCall)),
      perRound: Math.ceil(candidate.minSamples / rounds),
      samples: [],
    };
  });
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[(round + i) % plans.length];
      for (let s = 0; s < plan.perRound; s++) {
        plan.samples.push(timeBatch(plan.fn, plan.batch));
        await breathe();
      }
    }
  }
  return Object.fromEntries(
    plans.map(({ name, samples, batch }) => [name, { medianMs: median(samples), samples: samples.length, batch, raw: samples }]),
  );
}

/** p50 / p95 / mean of ms samples, for the latency table. */
export function summarize(samples) {
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    mean: samples.reduce((sum, x) => sum + x, 0) / samples.length,
    count: samples.length,
  };
}
