// The `cognito-wasm/admin` entry point: the IAM-signed admin API, in a wasm
// module of its own (pkg-admin/), so apps that import only `cognito-wasm`
// never download it. For server runtimes (Node, Deno, edge workers): the
// constructor refuses to run where `window` exists unless `allowBrowser`.
//
// The module loads on first use; every failure, including bad options, is a
// rejected promise with an Error whose `name` is the Cognito exception or a
// local error (ValidationError, NetworkError, WasmLoadError, TimeoutError,
// InvalidServerResponse), or the reason of the call's aborted `signal`.
// Requests go through js/transport.js, as the sign-in calls' do: its `send`
// is handed to the module, whose glue imports nothing.
import { instantiate } from './loader.js';
import { send } from './transport.js';

let glue;

/**
 * Loads the admin wasm module once (optional: the methods call it); a failed
 * load is a WasmLoadError that names the cause, or a NetworkError, and the
 * next call tries again. `input` is for
 * hosts that move `cognito_wasm_admin_bg.wasm` (as `init` takes it).
 */
export default function init(input) {
  const wasm = () => new URL('../pkg-admin/cognito_wasm_admin_bg.wasm', import.meta.url);
  return instantiate('admin', input, wasm, () => import('./admin-glue.js')).then((module) => {
    glue = module;
  });
}

export class CognitoAdmin {
  #inner;

  constructor(options) {
    this.#inner = init().then(() => new glue.CognitoAdmin(options, { send }));
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

  // `input.signal` (an AbortSignal) stops the call; it is not a field of the AWS input.
  async #call(method, input) {
    const inner = await this.#inner;
    const signal = input?.signal;
    if (signal !== undefined && input !== null && typeof input === 'object' && !Array.isArray(input)) {
      const { signal: _, ...fields } = input;
      return inner[method](fields, signal);
    }
    return inner[method](input, undefined);
  }
}
