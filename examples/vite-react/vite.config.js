// Vite as a React app configures it: nothing for cognito-wasm (Vite emits the
// .wasm files the package names with `new URL(..., import.meta.url)`).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({ plugins: [react()] });
