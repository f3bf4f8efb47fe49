// An app bundled by webpack 5, with no configuration for cognito-wasm: webpack
// emits the .wasm files the package names with `new URL(..., import.meta.url)`
// as assets, and splits the lazily loaded parts into chunks. The query string
// names the endpoint and the user (tests/e2e/examples.test.mjs).
import { CognitoAuth } from 'cognito-wasm';

const params = new URLSearchParams(location.search);
const output = document.getElementById('result');
try {
  const auth = new CognitoAuth({ userPoolId: params.get('pool'), clientId: params.get('client'), endpoint: params.get('endpoint') });
  const { nextStep } = await auth.signIn({ username: params.get('user'), password: params.get('password') });
  output.textContent = `${nextStep.signInStep} ${auth.tokens.idTokenClaims['cognito:username']}`;
} catch (error) {
  output.textContent = `${error.name}: ${error.message}`;
}
