// cognito-wasm in a module Web Worker: signs in with what the page sends (the
// query string's settings), and answers with the outcome.
import { CognitoAuth } from 'cognito-wasm';

self.onmessage = async ({ data: { pool, client, endpoint, user, password } }) => {
  try {
    const auth = new CognitoAuth({ userPoolId: pool, clientId: client, endpoint });
    const { nextStep } = await auth.signIn({ username: user, password });
    self.postMessage(`${nextStep.signInStep} ${auth.tokens.idTokenClaims['cognito:username']}`);
  } catch (error) {
    self.postMessage(`${error.name}: ${error.message}`);
  }
};
