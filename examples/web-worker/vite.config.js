// Vite builds workers as classic scripts unless told; cognito-wasm loads its
// parts with import(), which needs a module worker: the one line.
import { defineConfig } from 'vite';

export default defineConfig({ worker: { format: 'es' } });
