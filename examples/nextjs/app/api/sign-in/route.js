// A route handler that signs in and answers with the outcome as JSON.
import { CognitoAuth } from 'cognito-wasm';
import { settings } from '../../../settings.js';

export const dynamic = 'force-dynamic';

export async function GET() {
  const { options, username, password } = settings();
  try {
    const auth = new CognitoAuth(options);
    const { nextStep } = await auth.signIn({ username, password });
    return Response.json({ step: nextStep.signInStep, user: auth.tokens.idTokenClaims['cognito:username'] });
  } catch (error) {
    return Response.json({ error: `${error.name}: ${error.message}` }, { status: 500 });
  }
}
