// Full sign-ins (InitiateAuth + RespondToAuthChallenge with the SRP maths in
// between) with each client, against the endpoint in `config` = { endpoint,
// userPoolId, clientId, username, password }. 'cognito-wasm' is this package:
// Node resolves it by self-reference (package.json "exports"), Chromium by
// the page's import map, the way an app without a bundler would load it.
import init, { CognitoAuth } from 'cognito-wasm';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';

/**
 * One CognitoAuth for the app's lifetime, as the README uses it; each call
 * signs in again on it. Returns { signIn, auth }.
 */
export async function ourClient(config) {
  await init();
  const auth = new CognitoAuth({ userPoolId: config.userPoolId, clientId: config.clientId, endpoint: config.endpoint });
  const signIn = async () => {
    const result = await auth.signIn({ username: config.username, password: config.password });
    if (!result.isSignedIn) throw new Error(`cognito-wasm sign-in stopped at ${result.nextStep.signInStep}`);
  };
  return { signIn, auth };
}

/** One CognitoUserPool per app and a CognitoUser per sign-in, as its docs show. */
export function acijClient(config) {
  const pool = new CognitoUserPool({ UserPoolId: config.userPoolId, ClientId: config.clientId, endpoint: config.endpoint });
  const details = new AuthenticationDetails({ Username: config.username, Password: config.password });
  const signIn = () =>
    new Promise((resolve, reject) => {
      new CognitoUser({ Username: config.username, Pool: pool }).authenticateUser(details, {
        onSuccess: resolve,
        onFailure: reject,
        newPasswordRequired: () => reject(new Error('amazon-cognito-identity-js: unexpected NEW_PASSWORD_REQUIRED')),
      });
    });
  return { signIn };
}
