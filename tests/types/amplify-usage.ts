// Type-checks the identity-pool surface against the types of the libraries
// it plugs into, as installed here (tsc -p tests/types, against the packed
// package): auth.credentialsProvider() is an AWS SDK v3
// AwsCredentialIdentityProvider (the type S3Client's `credentials` takes;
// S3Client's own declarations need @types/node, which this project has not,
// so tests/e2e/identity.test.mjs gives it to an S3Client), and cognito-wasm/amplify's
// providers fit Amplify v6's TokenProvider and CredentialsAndIdentityIdProvider
// (Amplify.configure takes them). The @ts-expect-error lines must fail to compile.
import { CognitoAuth, type AWSCredentials, type AuthSession } from 'cognito-wasm';
import { credentialsProvider, tokenProvider } from 'cognito-wasm/amplify';
// The identity types alone: @smithy/types' index reaches node:stream.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types/dist-types/identity/awsCredentialIdentity';
import { Amplify } from 'aws-amplify';
import type { AuthTokens, CredentialsAndIdentityIdProvider, TokenProvider } from '@aws-amplify/core';

const auth = new CognitoAuth({
  userPoolId: 'us-east-1_Pool',
  clientId: 'client',
  identityPoolId: 'us-east-1:5e2c5a9b-8d1f-4c3e-9a7b-0d6f1e2a3b4c',
  allowGuestAccess: true,
  identityPoolEndpoint: 'http://127.0.0.1:9229',
});

export async function sdk(): Promise<AwsCredentialIdentityProvider> {
  const provider: AwsCredentialIdentityProvider = auth.credentialsProvider();
  const identity: AwsCredentialIdentity = await provider({ forceRefresh: true });
  const expires: Date | undefined = identity.expiration;
  void expires;
  // @ts-expect-error the provider is a function, not the credentials
  const wrong: AwsCredentialIdentity = auth.credentialsProvider();
  void wrong;
  return auth.credentialsProvider();
}

export async function session(): Promise<string | undefined> {
  const { tokens, credentials, identityId }: AuthSession = await auth.fetchSession({ forceRefresh: true });
  const keys: AWSCredentials | undefined = credentials;
  const expiration: Date | undefined = keys?.expiration;
  void expiration;
  return tokens ? identityId : keys?.accessKeyId;
}

export async function amplify(): Promise<void> {
  const tokens: TokenProvider = tokenProvider(auth);
  const credentials: CredentialsAndIdentityIdProvider = credentialsProvider(auth);
  Amplify.configure(
    { Auth: { Cognito: { userPoolId: 'us-east-1_Pool', userPoolClientId: 'client', identityPoolId: 'us-east-1:5e2c5a9b-8d1f-4c3e-9a7b-0d6f1e2a3b4c' } } },
    { Auth: { tokenProvider: tokens, credentialsProvider: credentials } },
  );
  const got: AuthTokens | null = await tokens.getTokens({ forceRefresh: true });
  const sub = got?.accessToken.payload.sub;
  void sub;
  const found = await credentials.getCredentialsAndIdentityId({ authenticated: false, authConfig: undefined });
  const secret: string | undefined = found?.credentials.secretAccessKey;
  void secret;
  // @ts-expect-error the providers take a CognitoAuth
  tokenProvider({ userPoolId: 'us-east-1_Pool' });
}
