// Amplify v6 as its docs show it: Amplify.configure with the user pool (and
// the endpoint override), signIn (SRP, its default flow), fetchAuthSession;
// tokens in localStorage (its default).
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn } from 'aws-amplify/auth';
import { runVisit } from './visit.mjs';

runVisit({
  async load(config) {
    Amplify.configure({
      Auth: {
        Cognito: { userPoolId: config.userPoolId, userPoolClientId: config.clientId, userPoolEndpoint: config.endpoint },
      },
    });
  },
  async signIn(_, { username, password }) {
    const result = await signIn({ username, password });
    if (!result.isSignedIn) throw new Error(`sign-in stopped at ${result.nextStep.signInStep}`);
    const { tokens } = await fetchAuthSession();
    return tokens.accessToken.toString();
  },
  async tokens() {
    const { tokens } = await fetchAuthSession();
    return tokens?.accessToken.toString();
  },
});
