// The one esbuild configuration for browser bundles, so the size entries and
// the benchmark page are built the same way. `global` is mapped to globalThis
// because the `buffer` package amazon-cognito-identity-js uses reads
// `global`, which browsers lack.
import * as esbuild from 'esbuild';

export async function bundleForBrowser(entry, { minify = false, external = [], outfile } = {}) {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify,
    format: 'esm',
    platform: 'browser',
    define: { global: 'globalThis' },
    external,
    outfile,
    write: Boolean(outfile),
    logLevel: 'warning',
  });
  return outfile ? undefined : result.outputFiles[0].contents;
}
