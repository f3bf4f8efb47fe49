// Node (CommonJS): require() of the ES module package (Node 20.19 and later).
const { CognitoAuth } = require('cognito-wasm');

const { COGNITO_POOL, COGNITO_CLIENT, COGNITO_ENDPOINT, COGNITO_USER, COGNITO_PASSWORD } = process.env;
const auth = new CognitoAuth({ userPoolId: COGNITO_POOL, clientId: COGNITO_CLIENT, endpoint: COGNITO_ENDPOINT });
auth.signIn({ username: COGNITO_USER, password: COGNITO_PASSWORD }).then(({ nextStep }) => {
  console.log(JSON.stringify({ step: nextStep.signInStep, user: auth.tokens.idTokenClaims['cognito:username'] }));
});
