// What an app that signs in with Amplify v6 imports: configure, sign in (and
// its follow-up step), read the session, sign out.
export { Amplify } from 'aws-amplify';
export { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
