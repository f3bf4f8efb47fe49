// Places the sign-in and account wasm of server.js: their bytes, in JS
// modules that scripts/inline-wasm.mjs writes from the .wasm files.
import account from '../pkg/account/cognito_wasm_account_bg.wasm.js';
import signIn from '../pkg/cognito_wasm_bg.wasm.js';
import { placed } from './loader.js';

placed['sign-in'] = signIn;
placed.account = account;
