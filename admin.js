// The `cognito-wasm/admin` entry point: the IAM-signed admin API, in a wasm
// module of its own (pkg-admin/), so apps that import only `cognito-wasm`
// never download it. For server runtimes (Node, Deno, edge workers): the
// constructor refuses to run where `window` exists unless `allowBrowser`.
//
// The module loads on first use; every failure, including bad options, is a
// rejected promise with an Error whose `name` is the Cognito exception or a
// local error (ValidationError, NetworkError, InvalidServerResponse).
import initWasm, { CognitoAdmin as WasmAdmin } from './pkg-admin/cognito_wasm_admin.js';

let ready;

/** Loads the admin wasm module once (optional: the methods call it). */
export default function init(input) {
  ready ??= instantiate(input).catch((error) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

async function instantiate(input) {
  const wasmUrl = new URL('./pkg-admin/cognito_wasm_admin_bg.wasm', import.meta.url);
  if (input === undefined && wasmUrl.protocol === 'file:') {
    const fs = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fs);
    input = await readFile(wasmUrl);
  }
  await initWasm({ module_or_path: input ?? wasmUrl });
}

export class CognitoAdmin {
  #inner;

  constructor(options) {
    this.#inner = init().then(() => new WasmAdmin(options));
    this.#inner.catch(() => {}); // reported by the first call instead
  }

  adminInitiateAuth(input) {
    return this.#call('adminInitiateAuth', input);
  }

  adminRespondToAuthChallenge(input) {
    return this.#call('adminRespondToAuthChallenge', input);
  }

  initiateAuth(input) {
    return this.#call('initiateAuth', input);
  }

  createUserPoolClient(input) {
    return this.#call('createUserPoolClient', input);
  }

  describeUserPoolClient(input) {
    return this.#call('describeUserPoolClient', input);
  }

  updateUserPoolClient(input) {
    return this.#call('updateUserPoolClient', input);
  }

  async #call(method, input) {
    const inner = await this.#inner;
    return inner[method](input);
  }
}
