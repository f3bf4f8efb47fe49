// cognito-wasm as an app would use it: init(), one CognitoAuth keeping the
// session in localStorage, signIn with SRP (the default flow).
import init, { CognitoAuth } from 'cognito-wasm';
import { runVisit } from './visit.mjs';

runVisit({
  async load(config) {
    await init();
    const auth = new CognitoAuth({
      userPoolId: config.userPoolId,
      clientId: config.clientId,
      endpoint: config.endpoint,
      storage: 'localStorage',
    });
    await auth.ready;
    return auth;
  },
  async signIn(auth, { username, password }) {
    const result = await auth.signIn({ username, password });
    if (!result.isSignedIn) throw new Error(`sign-in stopped at ${result.nextStep.signInStep}`);
    return auth.tokens.accessToken;
  },
  async tokens(auth) {
    return auth.tokens?.accessToken;
  },
});
