// esbuild with code splitting, and the `file` loader for .wasm (main.js
// imports the package's .wasm files and passes their URLs to init).
import * as esbuild from 'esbuild';

const here = (path) => new URL(path, import.meta.url).pathname;

export function build() {
  return esbuild.build({
    entryPoints: [here('./main.js')],
    bundle: true,
    splitting: true,
    format: 'esm',
    outdir: here('./dist'),
    loader: { '.wasm': 'file' },
    // The URLs the file loader gives, from the site's root (index.html loads dist/main.js).
    publicPath: '/dist',
    logLevel: 'warning',
  });
}

if (process.argv[1] === here('./build.js')) await build();
