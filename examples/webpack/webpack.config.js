// webpack 5 as an app configures it: nothing for cognito-wasm.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './src/main.js',
  output: { path: fileURLToPath(new URL('./dist', import.meta.url)), filename: 'main.js', module: true, chunkFormat: 'module' },
  experiments: { outputModule: true },
};
