// What an app that signs in with amazon-cognito-identity-js imports.
export { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
