// Deno: `deno run --allow-net --allow-env main.ts`, with the package in a
// node_modules folder (npm install, beside a package.json) or as
// `npm:cognito-wasm`. No --allow-read: the entry Deno picks (the `node`
// export condition) has the wasm inside its JS.
import { CognitoAuth } from 'cognito-wasm';

const env = (name: string) => Deno.env.get(name) ?? '';
const auth = new CognitoAuth({ userPoolId: env('COGNITO_POOL'), clientId: env('COGNITO_CLIENT'), endpoint: env('COGNITO_ENDPOINT') });
const { nextStep } = await auth.signIn({ username: env('COGNITO_USER'), password: env('COGNITO_PASSWORD') });
console.log(JSON.stringify({ step: nextStep.signInStep, user: auth.tokens?.idTokenClaims['cognito:username'] }));
