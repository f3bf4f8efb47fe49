// An app bundled by Rollup. cognito-wasm finds its .wasm files with
// `new URL('../pkg/….wasm', import.meta.url)`; Rollup copies such files only
// with an assets plugin (rollup.config.js), which is the one line to add.
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
