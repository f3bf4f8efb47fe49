// The server side's settings, from the environment (the test sets them when
// it starts `next start`).
export function settings() {
  const { COGNITO_POOL, COGNITO_CLIENT, COGNITO_ENDPOINT, COGNITO_USER, COGNITO_PASSWORD } = process.env;
  return { options: { userPoolId: COGNITO_POOL, clientId: COGNITO_CLIENT, endpoint: COGNITO_ENDPOINT }, username: COGNITO_USER, password: COGNITO_PASSWORD };
}
