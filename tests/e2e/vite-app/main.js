// An app as a Vite user writes it: the package imported by name, bundled by
// `vite build`. The query string names the endpoint and the demo user.
import init, { CognitoAuth } from 'cognito-wasm';

const params = new URLSearchParams(location.search);
const output = document.getElementById('result');
try {
  await init();
  const auth = new CognitoAuth({
    userPoolId: params.get('pool'),
    clientId: params.get('client'),
    endpoint: params.get('endpoint'),
  });
  const { nextStep } = await auth.signIn({ username: params.get('user'), password: params.get('password') });
  // An account call: it loads the account module (a chunk and a wasm of its own).
  const { email } = await auth.fetchUserAttributes();
  output.textContent = `${nextStep.signInStep} ${auth.tokens.idTokenClaims['cognito:username']} ${email}`;
} catch (error) {
  output.textContent = `${error.name}: ${error.message}`;
}
