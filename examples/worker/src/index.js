// A Worker that signs in on each request and answers with the outcome as
// JSON. The settings come with the request (?pool=&client=&endpoint=&user=&password=),
// for the test; a real Worker keeps them in its vars and secrets.
import { CognitoAuth } from 'cognito-wasm';

export default {
  async fetch(request) {
    const params = new URL(request.url).searchParams;
    try {
      const auth = new CognitoAuth({ userPoolId: params.get('pool'), clientId: params.get('client'), endpoint: params.get('endpoint') });
      const { nextStep } = await auth.signIn({ username: params.get('user'), password: params.get('password') });
      return Response.json({ step: nextStep.signInStep, user: auth.tokens.idTokenClaims['cognito:username'] });
    } catch (error) {
      return Response.json({ error: `${error.name}: ${error.message}` }, { status: 500 });
    }
  },
};
