// The one esbuild configuration for browser bundles, so the size entries and
// the benchmark page are built the same way. `global` is mapped to globalThis
// because the `buffer` package amazon-cognito-identity-js uses reads
// `global`, which browsers lack.
import { relative } from 'node:path';
import * as esbuild from 'esbuild';

/** The options every browser bundle here shares (with `minify` and `splitting` as each needs). */
export const BROWSER_BUNDLE = { bundle: true, format: 'esm', platform: 'browser', define: { global: 'globalThis' } };

export async function bundleForBrowser(entry, { minify = false, external = [], outfile } = {}) {
  const result = await esbuild.build({
    ...BROWSER_BUNDLE,
    entryPoints: [entry],
    minify,
    external,
    outfile,
    write: Boolean(outfile),
    logLevel: 'warning',
  });
  return outfile ? undefined : result.outputFiles[0].contents;
}

/**
 * Bundles and minifies `entry` (a path, or `{ contents, resolveDir }` for
 * stdin) with code splitting (esbuild --splitting --format=esm), the way an
 * app's bundler keeps a dynamic import out of the page's first load.
 * Resolves to `{ eager, lazy, loads }`: the chunks (Uint8Array) the entry
 * loads up front (its own chunk and what that imports statically), those
 * only its dynamic imports load, and by the file each dynamic import names
 * (its path as esbuild gives it), the chunks that import loads beyond the
 * eager ones.
 */
export async function bundleSplit(entry) {
  const result = await esbuild.build({
    ...BROWSER_BUNDLE,
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: entry }),
    minify: true,
    splitting: true,
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = result.metafile.outputs;
  const bytes = new Map(result.outputFiles.map((file) => [relative(process.cwd(), file.path), file.contents]));
  const reach = (from, kinds) => {
    const seen = new Set();
    const visit = (chunk) => {
      if (seen.has(chunk)) return;
      seen.add(chunk);
      for (const { path, kind, external } of outputs[chunk].imports) if (!external && kinds.includes(kind)) visit(path);
    };
    from.forEach(visit);
    return seen;
  };
  // The entry's chunk: the one no other chunk imports (esbuild's metafile
  // also names the targets of dynamic imports as entry points).
  const imported = new Set(Object.values(outputs).flatMap(({ imports }) => imports.map(({ path }) => path)));
  const entries = Object.keys(outputs).filter((chunk) => chunk.endsWith('.js') && !imported.has(chunk));
  const eager = reach(entries, ['import-statement']);
  const lazy = [...reach(entries, ['import-statement', 'dynamic-import'])].filter((chunk) => !eager.has(chunk));
  // What each dynamic import loads: its chunk and what that imports statically, by the file imported.
  const loads = {};
  for (const [chunk, { entryPoint }] of Object.entries(outputs)) {
    if (entryPoint && !eager.has(chunk)) {
      loads[entryPoint] = [...reach([chunk], ['import-statement'])].filter((c) => !eager.has(c)).map((c) => bytes.get(c));
    }
  }
  return { eager: [...eager].map((chunk) => bytes.get(chunk)), lazy: lazy.map((chunk) => bytes.get(chunk)), loads };
}
