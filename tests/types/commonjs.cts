// A CommonJS module (.cts) of a TypeScript project using the package (an ES
// module): types imported with resolution-mode 'import', values with import().
import type { CognitoAuthOptions, SignInOutput } from 'cognito-wasm' with { 'resolution-mode': 'import' };

export async function signIn(options: CognitoAuthOptions): Promise<SignInOutput> {
  const { CognitoAuth } = await import('cognito-wasm');
  return new CognitoAuth(options).signIn({ username: 'alice', password: 'pw' });
}
