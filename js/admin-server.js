// The `cognito-wasm/admin` entry for server runtimes (the `node` export
// condition; see server.js): admin.js, with its wasm inside the JS.
import admin from '../pkg-admin/cognito_wasm_admin_bg.wasm.js';
import { placed } from './loader.js';

placed.admin = admin;
export * from './admin.js';
export { default } from './admin.js';
