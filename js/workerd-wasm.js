// Places the sign-in and account wasm of workerd.js: each a WebAssembly.Module.
import account from '../pkg/account/cognito_wasm_account_bg.wasm';
import signIn from '../pkg/cognito_wasm_bg.wasm';
import { placed } from './loader.js';

placed['sign-in'] = signIn;
placed.account = account;
