'use client';
// A client component: it signs in in the browser when the button is pressed,
// with the settings of the query string (?pool=&client=&endpoint=&user=&password=).
import { CognitoAuth } from 'cognito-wasm';
import { useState } from 'react';

export default function ClientPage() {
  const [result, setResult] = useState('pending');
  async function signIn() {
    const params = new URLSearchParams(location.search);
    try {
      const auth = new CognitoAuth({ userPoolId: params.get('pool'), clientId: params.get('client'), endpoint: params.get('endpoint') });
      const { nextStep } = await auth.signIn({ username: params.get('user'), password: params.get('password') });
      setResult(`${nextStep.signInStep} ${auth.tokens.idTokenClaims['cognito:username']}`);
    } catch (error) {
      setResult(`${error.name}: ${error.message}`);
    }
  }
  return (
    <main>
      <button id="sign-in" onClick={signIn}>Sign in</button>
      <output id="result">{result}</output>
    </main>
  );
}
