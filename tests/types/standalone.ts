// The package's types on their own: every entry imported, in a program that
// may declare no web or Node globals (tests/e2e/types.test.mjs compiles it
// with `"lib": ["es2022"]`, `"types": []` and skipLibCheck false, which
// checks every .d.ts of the package).
import init, { CognitoAuth, type CognitoError, type WasmInput } from 'cognito-wasm';
import initAdmin, { CognitoAdmin } from 'cognito-wasm/admin';
import { JwtVerifier } from 'cognito-wasm/verify';

export async function signInWith(bytes: Uint8Array, admin: ArrayBuffer): Promise<string | undefined> {
  const wasm: WasmInput = bytes;
  await init(wasm, 'https://cdn.example/cognito_wasm_account_bg.wasm');
  await initAdmin(admin);
  const auth = new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'client' });
  try {
    await auth.signIn({ username: 'alice', password: 'pw' });
  } catch (error) {
    if ((error as CognitoError).name === 'WasmLoadError') return 'the wasm did not load';
  }
  new CognitoAdmin({ region: 'us-east-1', credentials: { accessKeyId: 'id', secretAccessKey: 'secret' } });
  new JwtVerifier({ userPoolId: 'us-east-1_Pool', clientId: 'client' });
  return auth.tokens?.idTokenClaims?.email as string | undefined;
}
