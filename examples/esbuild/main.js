// An app bundled by esbuild (with code splitting). esbuild does not copy
// files that code names with `new URL(..., import.meta.url)`, so the app
// imports the two .wasm files of the package (the `file` loader copies them
// and gives their URLs, build.js) and passes the URLs to init.
import init, { CognitoAuth } from 'cognito-wasm';
import accountWasm from 'cognito-wasm/account.wasm';
import signInWasm from 'cognito-wasm/sign-in.wasm';

const params = new URLSearchParams(location.search);
const output = document.getElementById('result');
try {
  await init(signInWasm, accountWasm);
  const auth = new CognitoAuth({ userPoolId: params.get('pool'), clientId: params.get('client'), endpoint: params.get('endpoint') });
  const { nextStep } = await auth.signIn({ username: params.get('user'), password: params.get('password') });
  output.textContent = `${nextStep.signInStep} ${auth.tokens.idTokenClaims['cognito:username']}`;
} catch (error) {
  output.textContent = `${error.name}: ${error.message}`;
}
