// Type-checks the public surface as an app uses it (tsc -p tests/types, in
// npm test, against the packed package). The @ts-expect-error lines must fail
// to compile: they prove the types refuse misuse.
import init, { CognitoAuth, type AuthTokens, type CognitoError, type SignInOutput } from 'cognito-wasm';

export async function signInFlow(): Promise<string | undefined> {
  await init();
  const auth = new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'client', endpoint: 'http://127.0.0.1:9229' });
  let result: SignInOutput = await auth.signIn({ username: 'demo', password: 'pw', authFlow: 'USER_PASSWORD_AUTH' });
  if (result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED') {
    const attributes = Object.fromEntries(result.nextStep.missingAttributes.map((name) => [name, 'value']));
    result = await auth.confirmSignIn({ challengeResponse: 'new-pw', userAttributes: attributes });
  }
  const tokens: AuthTokens | null = auth.tokens;
  const expires: number | undefined = tokens?.expiresAt.getTime();
  await auth.signOut();
  try {
    // @ts-expect-error authFlow takes only the two password flows
    await auth.signIn({ username: 'u', password: 'p', authFlow: 'CUSTOM_AUTH' });
  } catch (error) {
    return (error as CognitoError).name + String(expires);
  }
  // @ts-expect-error clientId is required
  new CognitoAuth({ userPoolId: 'us-east-1_Pool' });
  return undefined;
}
