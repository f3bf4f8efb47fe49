// cognito-wasm as an app would use it: one CognitoAuth keeping the session
// in localStorage; signed out, it prefetches the sign-in module while the
// form shows (a returning visit loads no wasm); signIn with SRP (the default
// flow).
import { CognitoAuth } from 'cognito-wasm';
import { runVisit } from './visit.mjs';

runVisit({
  async load(config) {
    const auth = new CognitoAuth({
      userPoolId: config.userPoolId,
      clientId: config.clientId,
      endpoint: config.endpoint,
      storage: 'localStorage',
    });
    await auth.ready;
    // A failed prefetch is reported (and retried) by the sign-in.
    if (!auth.tokens) auth.prefetch().catch(() => {});
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
