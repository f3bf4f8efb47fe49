// Type-checks `cognito-wasm/verify` as a server uses it (tsc -p tests/types,
// against the packed package). The @ts-expect-error lines must fail to compile.
import { JwtVerifier, type JwtError } from 'cognito-wasm/verify';

export async function verifyTokens(idToken: string, accessToken: string): Promise<string> {
  const ids = new JwtVerifier({ userPoolId: 'us-east-1_Pool', clientId: 'client', tokenUse: 'id' });
  const any = new JwtVerifier({
    userPoolId: 'us-east-1_Pool',
    clientId: ['web', 'mobile'],
    issuer: 'http://127.0.0.1:9229/us-east-1_Pool',
    graceSeconds: 5,
    fetch: (url, init) => fetch(url, init),
    requestTimeout: 5_000,
    maxAttempts: 2,
  });
  // @ts-expect-error tokenUse is 'id', 'access' or null
  new JwtVerifier({ userPoolId: 'us-east-1_Pool', clientId: 'client', tokenUse: 'refresh' });
  // @ts-expect-error clientId is required
  new JwtVerifier({ userPoolId: 'us-east-1_Pool' });
  try {
    const claims = await ids.verify(idToken);
    const access = await any.verify(accessToken, { signal: AbortSignal.timeout(1_000) });
    return String(claims['cognito:username']) + String(access.scope);
  } catch (error) {
    const name = (error as JwtError).name;
    // @ts-expect-error not one of the verifier's error names
    if (name === 'NotAuthorizedException') return '';
    return name;
  }
}
