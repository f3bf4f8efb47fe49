// A page without a build step under a strict Content Security Policy (see
// index.html): the package's files are served at /cognito-wasm/ and imported
// by path, as from a CDN.
import { CognitoAuth } from '/cognito-wasm/js/index.js';

const params = new URLSearchParams(location.search);
const output = document.getElementById('result');
try {
  const auth = new CognitoAuth({ userPoolId: params.get('pool'), clientId: params.get('client'), endpoint: params.get('endpoint') });
  const { nextStep } = await auth.signIn({ username: params.get('user'), password: params.get('password') });
  output.textContent = `${nextStep.signInStep} ${auth.tokens.idTokenClaims['cognito:username']}`;
} catch (error) {
  output.textContent = `${error.name}: ${error.message}`;
}
