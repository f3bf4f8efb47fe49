// Rollup with node-resolve, as apps configure it, and the one plugin
// cognito-wasm needs: importMetaAssets copies the .wasm files the package
// names with `new URL(..., import.meta.url)` and points the URLs at the copies.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';

export default {
  input: new URL('./main.js', import.meta.url).pathname,
  output: { dir: new URL('./dist', import.meta.url).pathname, format: 'es' },
  plugins: [nodeResolve({ browser: true }), importMetaAssets()],
};
