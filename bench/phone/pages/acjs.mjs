// amazon-cognito-identity-js as its README shows it: one CognitoUserPool, a
// CognitoUser per sign-in (SRP, its default), the session in localStorage
// (its default storage), read back with getCurrentUser().getSession().
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { runVisit } from './visit.mjs';

runVisit({
  async load(config) {
    return new CognitoUserPool({ UserPoolId: config.userPoolId, ClientId: config.clientId, endpoint: config.endpoint });
  },
  signIn(pool, { username, password }) {
    return new Promise((resolve, reject) => {
      new CognitoUser({ Username: username, Pool: pool }).authenticateUser(
        new AuthenticationDetails({ Username: username, Password: password }),
        {
          onSuccess: (session) => resolve(session.getAccessToken().getJwtToken()),
          onFailure: reject,
          newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
          mfaRequired: () => reject(new Error('unexpected MFA')),
        },
      );
    });
  },
  tokens(pool) {
    return new Promise((resolve, reject) => {
      const user = pool.getCurrentUser();
      if (!user) return resolve(undefined);
      user.getSession((error, session) => (error ? reject(error) : resolve(session.getAccessToken().getJwtToken())));
    });
  },
});
