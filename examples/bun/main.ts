// Bun: `bun run main.ts`; no configuration.
import { CognitoAuth } from 'cognito-wasm';

const { COGNITO_POOL, COGNITO_CLIENT, COGNITO_ENDPOINT, COGNITO_USER, COGNITO_PASSWORD } = process.env;
const auth = new CognitoAuth({ userPoolId: COGNITO_POOL!, clientId: COGNITO_CLIENT!, endpoint: COGNITO_ENDPOINT });
const { nextStep } = await auth.signIn({ username: COGNITO_USER!, password: COGNITO_PASSWORD! });
console.log(JSON.stringify({ step: nextStep.signInStep, user: auth.tokens?.idTokenClaims['cognito:username'] }));
