// A server component that signs in as it renders (on each request).
import { CognitoAuth } from 'cognito-wasm';
import { settings } from '../../settings.js';

export const dynamic = 'force-dynamic';

export default async function ServerPage() {
  const { options, username, password } = settings();
  const auth = new CognitoAuth(options);
  const { nextStep } = await auth.signIn({ username, password });
  return <output id="result">{`${nextStep.signInStep} ${auth.tokens.idTokenClaims['cognito:username']}`}</output>;
}
