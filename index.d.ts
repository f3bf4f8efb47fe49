// The public TypeScript surface of cognito-wasm, owned by hand (the
// wasm-bindgen output is built with --no-typescript). tests/types checks it.

/** Compiles and instantiates the wasm module; idempotent. */
export default function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
): Promise<void>;

export interface CognitoAuthOptions {
  /** `<region>_<id>`, for example `us-east-1_AbC123`. */
  userPoolId: string;
  /** The app client id. */
  clientId: string;
  /**
   * The app client secret, when the client has one. A secret shipped to a
   * browser is public: use secrets only in server runtimes and tests.
   */
  clientSecret?: string;
  /** Defaults to the part of `userPoolId` before `_`. */
  region?: string;
  /** A custom endpoint URL, such as a local server; defaults to the region's Cognito endpoint. */
  endpoint?: string;
}

export type AuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';

export interface SignInInput {
  /** The user name, or an alias (email, phone, preferred_username) the pool accepts. */
  username: string;
  password: string;
  /** `USER_SRP_AUTH` (the default) keeps the password on the device. */
  authFlow?: AuthFlow;
  /** Passed to the pool's Lambda triggers. */
  clientMetadata?: Record<string, string>;
}

export type SignInStep =
  | { signInStep: 'DONE' }
  | {
      signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED';
      /** Attributes the pool requires that the user lacks; pass them to confirmSignIn. */
      missingAttributes: string[];
      /** The user's current attributes. */
      userAttributes: Record<string, string>;
    };

export interface SignInOutput {
  isSignedIn: boolean;
  nextStep: SignInStep;
}

export interface ConfirmSignInInput {
  /** The answer to the step: the new password for CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED. */
  challengeResponse: string;
  /** Attributes to set, such as the `missingAttributes` of the step. */
  userAttributes?: Record<string, string>;
}

export interface AuthTokens {
  idToken: string | null;
  accessToken: string;
  refreshToken: string | null;
  /** When the access and id tokens expire, on this device's clock. */
  expiresAt: Date;
  /** The decoded (not verified) claims of the id token. */
  idTokenClaims: Record<string, unknown> | null;
}

/**
 * The names of the errors the promises reject with: a Cognito exception
 * name, or one of the local errors.
 */
export type CognitoErrorName =
  | 'NotAuthorizedException'
  | 'UserNotFoundException'
  | 'UserNotConfirmedException'
  | 'PasswordResetRequiredException'
  | 'InvalidParameterException'
  | 'InvalidPasswordException'
  | 'ResourceNotFoundException'
  | 'TooManyRequestsException'
  | 'NetworkError'
  | 'InvalidServerResponse'
  | 'ValidationError'
  | 'InvalidStateError'
  | 'UnsupportedChallengeError'
  | (string & {});

export interface CognitoError extends Error {
  name: CognitoErrorName;
}

/** Signs users in to one user-pool app client. */
export class CognitoAuth {
  /** Throws a `ValidationError` on unusable settings. */
  constructor(options: CognitoAuthOptions);
  signIn(input: SignInInput): Promise<SignInOutput>;
  confirmSignIn(input: ConfirmSignInInput): Promise<SignInOutput>;
  /** The tokens of the signed-in user, or null. */
  readonly tokens: AuthTokens | null;
  /** Forgets the tokens, then revokes the refresh token (RevokeToken). */
  signOut(): Promise<void>;
  /** Releases the wasm memory of this instance. */
  free(): void;
}
