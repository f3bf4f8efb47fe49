// The `cognito-wasm/admin` entry for Cloudflare Workers (the `workerd` export
// condition; see workerd.js): admin.js, with its wasm imported as a module.
import admin from '../pkg-admin/cognito_wasm_admin_bg.wasm';
import { placed } from './loader.js';

placed.admin = admin;
export * from './admin.js';
export { default } from './admin.js';
