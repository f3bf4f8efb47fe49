// A React hook around one CognitoAuth: an example to copy, not a package.
import { CognitoAuth } from 'cognito-wasm';
import { useEffect, useMemo, useState } from 'react';

/**
 * `{ auth, tokens, signIn, signOut }` for the user pool app client of
 * `options`: `tokens` (auth.tokens) follows the session through
 * auth.onChange, so a component re-renders on a sign-in, a refresh and a
 * sign-out.
 */
export function useAuth(options) {
  const { userPoolId, clientId, endpoint } = options;
  const auth = useMemo(() => new CognitoAuth({ userPoolId, clientId, endpoint }), [userPoolId, clientId, endpoint]);
  const [tokens, setTokens] = useState(auth.tokens);
  useEffect(() => {
    const update = () => setTokens(auth.tokens);
    update();
    auth.onChange(update);
    return () => auth.offChange(update);
  }, [auth]);
  return {
    auth,
    tokens,
    signIn: (input) => auth.signIn(input),
    signOut: () => auth.signOut(),
  };
}
