// The admin module's glue, as admin.js loads it: only what the package uses.
export { CognitoAdmin, imports, finalize } from '../pkg-admin/cognito_wasm_admin.js';
