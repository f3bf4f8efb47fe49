// A sign-in form with useAuth. The query string names the pool, the app
// client and the endpoint (tests/e2e/examples.test.mjs).
import { useState } from 'react';
import { useAuth } from './useAuth.js';

const params = new URLSearchParams(location.search);
const settings = { userPoolId: params.get('pool'), clientId: params.get('client'), endpoint: params.get('endpoint') };

export function App() {
  const { auth, tokens, signIn, signOut } = useAuth(settings);
  const [error, setError] = useState(null);
  const [email, setEmail] = useState(null);

  async function submit(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      await signIn({ username: form.get('username'), password: form.get('password') });
      // An account call: Vite splits the account module into a chunk of its own.
      setEmail((await auth.fetchUserAttributes()).email);
    } catch (failure) {
      setError(`${failure.name}: ${failure.message}`);
    }
  }

  if (tokens) {
    return (
      <main>
        <p id="result">Signed in as {tokens.idTokenClaims['cognito:username']} ({email ?? '…'})</p>
        <button onClick={() => signOut()}>Sign out</button>
      </main>
    );
  }
  return (
    <main>
      <form onSubmit={submit}>
        <label>User name <input name="username" autoComplete="username" /></label>
        <label>Password <input name="password" type="password" autoComplete="current-password" /></label>
        <button type="submit">Sign in</button>
        {error && <p role="alert">{error}</p>}
      </form>
    </main>
  );
}
