// The public TypeScript surface of cognito-wasm, owned by hand (the
// wasm-bindgen output is built with --no-typescript). tests/types checks it.

import type { WasmInput, WebURL, WebAbortSignal } from './web-types.js';

/** Where a wasm module is, for hosts that move it: its URL, Response, bytes, or WebAssembly.Module. */
export type { WasmInput };

/**
 * Compiles and instantiates the sign-in wasm module; idempotent. `input`
 * places the sign-in wasm (`cognito-wasm/sign-in.wasm`) and `account` the
 * account wasm (`cognito-wasm/account.wasm`, loaded on the first account
 * call), for hosts that serve them elsewhere; by default both are found
 * beside the package's JS (bundlers that copy them: Vite, webpack), or are
 * inside it (the `node` and `workerd` export conditions). Rejects with a
 * `WasmLoadError` whose message names the cause and its fix (the file is not
 * at its URL, the Content Security Policy forbids wasm, no read permission,
 * not wasm), or a `NetworkError` when the network failed; call it again to
 * retry.
 */
export default function init(input?: WasmInput, account?: WasmInput | Promise<WasmInput>): Promise<void>;

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
  /**
   * Where the session (tokens and expiry) is kept between instances and page
   * loads: `'memory'` (the default: nowhere), `'localStorage'`,
   * `'sessionStorage'`, or an object whose methods may return values or
   * promises. The session is written after signedIn and tokenRefresh under
   * `cognito-wasm.<clientId>.<username>.session`, with
   * `cognito-wasm.<clientId>.lastUser`, and both are removed after signedOut.
   * A new instance restores it into `ready`. A corrupted or foreign value
   * (or a session of another user than `lastUser` names) is ignored with a
   * `console.warn` naming the key.
   *
   * Several tabs: with `'localStorage'`, a sign-in, refresh or sign-out in
   * one tab reaches the instances of the other tabs (`storage` events), whose
   * `onChange` listeners get signedIn, tokenRefresh or signedOut. With any
   * storage, a refresh (and `fetchSession` without a session) first reads
   * the stored session again, and where the
   * Web Locks API exists (browsers) refreshes take turns under the lock
   * `cognito-wasm.<clientId>.refresh`: a tab that waited uses the tokens the
   * other one got instead of refreshing (and rotating) again. Without Web
   * Locks (Node), two instances that refresh at the same moment both send a
   * request.
   */
  storage?: 'memory' | 'localStorage' | 'sessionStorage' | SessionStorage;
  /**
   * Amazon Pinpoint's endpoint id, sent as `AnalyticsMetadata` with every
   * call that takes it (InitiateAuth, RespondToAuthChallenge, SignUp,
   * ConfirmSignUp, ResendConfirmationCode, ForgotPassword,
   * ConfirmForgotPassword).
   */
  analyticsEndpointId?: string;
  /**
   * The `EncodedData` of Cognito's threat protection (advanced security),
   * sent as `UserContextData` with the same calls. Called for each of them;
   * return `undefined` to send none. By default, as Amplify does, the
   * `AmazonCognitoAdvancedSecurityData.getData(username, userPoolId,
   * userPoolClientId)` of Cognito's `amazon-cognito-advanced-security-data.min.js`,
   * when the page has loaded that script (else nothing is sent). A throw
   * sends none.
   */
  userContextData?: (input: UserContextDataInput) => string | undefined;
  /**
   * A Cognito identity pool (`<region>:<id>`) that trusts this app client:
   * `fetchSession` then also resolves to AWS `credentials` and the
   * `identityId` (GetId, then GetCredentialsForIdentity with the id token
   * as the login of `cognito-idp.<region>.amazonaws.com/<userPoolId>`), and
   * `credentialsProvider()` gives them to the AWS SDK. A bad id is a
   * `ValidationError` from the first of these calls.
   */
  identityPoolId?: string;
  /**
   * Guests (no user signed in) get the identity pool's unauthenticated
   * credentials, when the pool allows them. Default false: no credentials
   * without a user, as in Amplify v6.
   */
  allowGuestAccess?: boolean;
  /**
   * The identity-pool API's URL: defaults to `endpoint` when that is set (a
   * local server that serves both APIs), else
   * `https://cognito-identity.<region of identityPoolId>.amazonaws.com/`.
   */
  identityPoolEndpoint?: string;
  /**
   * The milliseconds a request may take, its retries and their pauses
   * included: after that it rejects with a `TimeoutError` naming the
   * operation and the time. Default 30,000; `0` turns it off. (README
   * "Errors and timeouts".)
   */
  requestTimeout?: number;
  /**
   * The tries of a throttled request (TooManyRequestsException,
   * ThrottlingException, HTTP 429), an HTTP 500/502/503/504, or a
   * connection that failed before any answer, with exponential backoff and
   * full jitter as the AWS SDKs' standard mode. Default 3, from 1 to 10.
   */
  maxAttempts?: number;
  /**
   * Managed login (the hosted UI, social and enterprise identity providers):
   * turns on `signInWithRedirect`, `signInWithPopup` and `handleRedirect`,
   * and the sign-out redirect of `signOut`. Amplify v6's shape.
   */
  oauth?: OAuthOptions;
}

/**
 * Every call that goes to the network takes `signal`, as `fetch` does:
 * aborting it rejects the call with the signal's reason (an `AbortError`
 * for `abort()`, a `TimeoutError` for `AbortSignal.timeout()`), and the
 * instance works as before (a sign-in step stays waiting, a refresh keeps
 * the old tokens).
 */
export interface WithSignal {
  signal?: WebAbortSignal;
}

/** The `oauth` option: the user pool domain and the app client's managed-login settings. */
export interface OAuthOptions {
  /**
   * The user pool domain: a host name (`auth.example.com` or
   * `<prefix>.auth.<region>.amazoncognito.com`, meaning https), or an origin
   * (`http://127.0.0.1:9229` for the local endpoint).
   */
  domain: string;
  /** The scopes to ask for (each allowed to the app client); absent or empty: all the app client's. */
  scopes?: OAuthScope[];
  /**
   * Where the user comes back after signing in: one of the app client's
   * callback URLs, exactly. With several, the one equal to the page's
   * origin and path, else the first on the page's origin.
   */
  redirectSignIn: string | string[];
  /** Where the user comes back after `signOut`: one of the app client's sign-out URLs, picked as redirectSignIn is. */
  redirectSignOut?: string | string[];
  /** Only the authorization-code grant (with PKCE). */
  responseType?: 'code';
}

export type OAuthScope = 'openid' | 'email' | 'phone' | 'profile' | 'aws.cognito.signin.user.admin' | (string & {});

/** Amplify's social providers, or an identity provider of the user pool by name (`custom`) or identifier (`idpIdentifier`). */
export type OAuthProvider = 'Google' | 'Facebook' | 'Amazon' | 'Apple' | { custom: string } | { idpIdentifier: string };

export interface SignInWithRedirectInput {
  /** Absent: the managed login page, with every way of signing in the app client allows. */
  provider?: OAuthProvider;
  /** Given back by `handleRedirect` (or `signInWithPopup`) once signed in; it stays in this tab. */
  customState?: string;
  options?: {
    /** The language of the managed login pages. */
    lang?: string;
    /** Fills in the user name (`login_hint`). */
    loginHint?: string;
    /** Goes into the id token (`nonce`). */
    nonce?: string;
    /** `prompt`: `NONE` (no page: signed in by a live managed-login session, or `login_required`), `LOGIN`, `CONSENT`, `SELECT_ACCOUNT`. */
    prompt?: 'NONE' | 'LOGIN' | 'CONSENT' | 'SELECT_ACCOUNT' | (string & {});
  };
}

export interface HandleRedirectOutput {
  /** Whether a user is signed in (after a redirect sign-in: true). */
  isSignedIn: boolean;
  /** The `customState` of the sign-in that came back. */
  customState?: string;
}

/** What `userContextData` is called with. */
export interface UserContextDataInput {
  /** The name the call is made for (the typed one, or the user's id after SRP). */
  username: string;
  userPoolId: string;
  userPoolClientId: string;
}

/** A custom `storage` (Web Storage's three methods); sync or async. */
export interface SessionStorage {
  getItem(key: string): string | null | undefined | Promise<string | null | undefined>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/**
 * `CUSTOM_WITH_SRP` and `CUSTOM_WITHOUT_SRP` are CUSTOM_AUTH (the pool's
 * custom-challenge triggers), with the SRP password proof first or without a
 * password. `USER_AUTH` is choice-based sign-in: the pool's sign-in policy
 * offers first factors (the app client needs ALLOW_USER_AUTH).
 */
export type AuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'CUSTOM_WITH_SRP' | 'CUSTOM_WITHOUT_SRP' | 'USER_AUTH';

/**
 * A first factor of USER_AUTH. `WEB_AUTHN` is a passkey: the sign-in runs
 * the browser's passkey prompt (navigator.credentials.get) by itself and
 * answers with the credential; there is no step for the app.
 */
export type AuthFactorType = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

/** The optional fields of `signIn`, as Amplify v6 nests them (the top-level ones work too). */
export interface SignInOptions {
  /** Amplify's name for `authFlow`. */
  authFlowType?: AuthFlow;
  /**
   * USER_AUTH: the first factor to try. `PASSWORD` and `PASSWORD_SRP` need
   * the password; `EMAIL_OTP` and `SMS_OTP` send a code; `WEB_AUTHN` runs
   * the passkey prompt. Without it, or when the user lacks it, the step is
   * CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION.
   */
  preferredChallenge?: AuthFactorType;
  /**
   * The passkey prompt's mediation (navigator.credentials.get): with
   * `'conditional'`, the browser offers the user's passkey in the autofill
   * of the page's `<input autocomplete="username webauthn">` instead of a
   * dialog, and the sign-in waits until the user picks it (or `signal`
   * aborts it: PasskeyOperationAborted).
   */
  mediation?: 'conditional' | 'optional' | 'required' | 'silent';
  /** Aborts the passkey prompt (PasskeyOperationAborted), such as a conditional one when the user types a password instead. */
  signal?: WebAbortSignal;
  /** Passed to the pool's Lambda triggers, with signIn and each confirmSignIn of this sign-in. */
  clientMetadata?: Record<string, string>;
}

export interface SignInInput extends SignInOptions, WithSignal {
  /** The user name, or an alias (email, phone, preferred_username) the pool accepts. */
  username: string;
  /**
   * Required, except with `CUSTOM_WITHOUT_SRP` and `USER_AUTH` (where only
   * `preferredChallenge: 'PASSWORD' | 'PASSWORD_SRP'` needs it).
   */
  password?: string;
  /** `USER_SRP_AUTH` (the default) keeps the password on the device. */
  authFlow?: AuthFlow;
  options?: SignInOptions;
}

export type SignInStep =
  | { signInStep: 'DONE' }
  | {
      signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED';
      /** Attributes the pool requires that the user lacks; pass them to confirmSignIn. */
      missingAttributes: string[];
      /** The user's current attributes. */
      userAttributes: Record<string, string>;
    }
  | {
      /** SMS_MFA, or USER_AUTH's SMS_OTP: answer with the code sent by text message. */
      signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE';
      codeDeliveryDetails: CodeDeliveryDetails;
    }
  | {
      /** EMAIL_OTP (a second factor, or USER_AUTH's first): answer with the code sent by email. */
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE';
      codeDeliveryDetails: CodeDeliveryDetails;
    }
  | {
      /** SOFTWARE_TOKEN_MFA: answer with the authenticator app's current code. */
      signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE';
    }
  | {
      /** MFA_SETUP: add the secret to an authenticator app, then answer with its code. */
      signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP';
      totpSetupDetails: TotpSetupDetails;
    }
  | {
      /** CUSTOM_CHALLENGE: answer the question the pool's triggers asked. */
      signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE';
      /** The challenge parameters the triggers set (publicChallengeParameters). */
      additionalInfo: Record<string, string>;
    }
  | {
      /** SELECT_MFA_TYPE: answer with one of `allowedMFATypes`. */
      signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION';
      allowedMFATypes: MfaType[];
    }
  | {
      /**
       * USER_AUTH's SELECT_CHALLENGE: answer with one of `availableChallenges`.
       * `EMAIL_OTP` and `SMS_OTP` lead to the CONFIRM_SIGN_IN_WITH_EMAIL_CODE /
       * _SMS_CODE step, `PASSWORD` and `PASSWORD_SRP` to
       * CONFIRM_SIGN_IN_WITH_PASSWORD; `WEB_AUTHN` runs the passkey prompt.
       */
      signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION';
      availableChallenges: AuthFactorType[];
    }
  | {
      /** PASSWORD or PASSWORD_SRP was chosen: answer with the password. */
      signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD';
    }
  | {
      /**
       * MFA_SETUP offering an authenticator app and email codes: answer
       * `'TOTP'` (then CONTINUE_SIGN_IN_WITH_TOTP_SETUP) or `'EMAIL'` (then
       * CONTINUE_SIGN_IN_WITH_EMAIL_SETUP).
       */
      signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION';
      allowedMFATypes: MfaType[];
    }
  | {
      /** MFA_SETUP of email codes: answer with the email address; a code is sent there (CONFIRM_SIGN_IN_WITH_EMAIL_CODE). */
      signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP';
    }
  | {
      /** The user has not confirmed the sign-up (UserNotConfirmedException): confirmSignUp, then sign in again. */
      signInStep: 'CONFIRM_SIGN_UP';
    }
  | {
      /** The password must be reset (PasswordResetRequiredException): resetPassword and confirmResetPassword, then sign in again. */
      signInStep: 'RESET_PASSWORD';
    };

/** A TOTP secret (AssociateSoftwareToken's) for an authenticator app. */
export interface TotpSetupDetails {
  /** Base32, as apps take it when typed in. */
  sharedSecret: string;
  /** The user's name, the default account name of the URI. */
  accountName: string;
  /**
   * `otpauth://totp/<appName>:<accountName>?secret=<sharedSecret>&issuer=<appName>`,
   * the URI authenticator apps read from a QR code.
   */
  getSetupUri(appName: string, accountName?: string): WebURL;
}

export interface VerifyTotpSetupInput extends WithSignal {
  code: string;
  options?: { friendlyDeviceName?: string };
}

export type MfaPreferenceValue = 'ENABLED' | 'DISABLED' | 'PREFERRED' | 'NOT_PREFERRED';

export interface UpdateMfaPreferenceInput extends WithSignal {
  sms?: MfaPreferenceValue;
  totp?: MfaPreferenceValue;
  email?: MfaPreferenceValue;
}

export interface MfaPreference {
  enabled?: MfaType[];
  preferred?: MfaType;
}

/** A second factor, by Amplify's names (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP). */
export type MfaType = 'SMS' | 'TOTP' | 'EMAIL';

/** Where a code was sent, masked as the service reports it (`+*******0100`, `d***@e***.com`). */
export interface CodeDeliveryDetails {
  deliveryMedium: 'SMS' | 'EMAIL' | (string & {}) | null;
  destination: string | null;
}

export interface SignInOutput {
  isSignedIn: boolean;
  nextStep: SignInStep;
}

export interface ConfirmSignInInput extends WithSignal {
  /**
   * The answer to the step: the new password for
   * CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED, the code for the
   * CONFIRM_SIGN_IN_WITH_*_CODE steps (a wrong code rejects with
   * CodeMismatchException and the step stays, for another try; a code or
   * step that has expired rejects with ExpiredCodeException or
   * NotAuthorizedException "...session is expired...", and the sign-in must
   * start again), an `MfaType` for CONTINUE_SIGN_IN_WITH_MFA_SELECTION, an
   * `AuthFactorType` for CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION, the
   * password for CONFIRM_SIGN_IN_WITH_PASSWORD, the answer for
   * CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE, `'TOTP'` or `'EMAIL'` for
   * CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION, the email address for
   * CONTINUE_SIGN_IN_WITH_EMAIL_SETUP; and `'WEB_AUTHN'` after a passkey
   * prompt failed (PasskeyAuthenticationCanceled, ...), to run it again.
   */
  challengeResponse: string;
  /** Attributes to set, such as the `missingAttributes` of the step. */
  userAttributes?: Record<string, string>;
  /** Passed to the pool's Lambda triggers; defaults to the `clientMetadata` of `signIn`. */
  clientMetadata?: Record<string, string>;
  /** The two above, as Amplify v6 nests them (and the passkey prompt's `mediation` and `signal`). */
  options?: {
    userAttributes?: Record<string, string>;
    clientMetadata?: Record<string, string>;
    mediation?: SignInOptions['mediation'];
    signal?: WebAbortSignal;
  };
  /** Aborts the passkey prompt this answer runs (`'WEB_AUTHN'`). */
  signal?: WebAbortSignal;
}

export interface AuthTokens {
  idToken: string | null;
  accessToken: string;
  refreshToken: string | null;
  /**
   * When the access or id token expires, whichever is first, on this
   * device's clock: the time they arrived plus their lifetime (`exp - iat`),
   * so a wrong clock on the device or the server does not matter.
   */
  expiresAt: Date;
  /**
   * The decoded (not verified) claims of the id token. To trust them (on a
   * server), verify the token with `cognito-wasm/verify`.
   */
  idTokenClaims: Record<string, unknown> | null;
  /** The decoded (not verified) claims of the access token (`username`, `client_id`, `scope`, ...). */
  accessTokenClaims: Record<string, unknown> | null;
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
  | 'CodeMismatchException'
  | 'EnableSoftwareTokenMFAException'
  | 'ExpiredCodeException'
  | 'ResourceNotFoundException'
  | 'TooManyRequestsException'
  | 'ThrottlingException'
  | 'NetworkError'
  | 'WasmLoadError'
  | 'TimeoutError'
  | 'AbortError'
  | 'InvalidServerResponse'
  | 'ValidationError'
  | 'InvalidStateError'
  | 'UnsupportedChallengeError'
  // The passkey prompt's (js/webauthn.js), as Amplify v6 names them.
  | 'PasskeyAuthenticationCanceled'
  | 'PasskeyRegistrationCanceled'
  | 'PasskeyOperationAborted'
  | 'RelyingPartyMismatch'
  | 'PasskeyAlreadyExists'
  | 'PasskeyNotSupported'
  | 'PasskeyRetrievalFailed'
  | 'PasskeyRegistrationFailed'
  | 'OAuthStateError'
  | 'OAuthCancelledError'
  | 'OAuthCodeError'
  | 'OAuthError'
  | 'OAuthPopupClosedError'
  | 'OAuthPopupBlockedError'
  | (string & {});

export interface CognitoError extends Error {
  name: CognitoErrorName;
}

/** Signs users in to one user-pool app client. */
export class CognitoAuth {
  /** Throws a `ValidationError` on unusable settings (also a `storage` the runtime lacks). */
  constructor(options: CognitoAuthOptions);
  /**
   * Resolves (never rejects) once the session in `storage` is restored, or
   * found absent or unusable; at once without `storage`. Until then `tokens`
   * is null, and the calls on the session (fetchSession, getCurrentUser,
   * signOut, the attribute and MFA calls) wait for it. A signIn or signOut
   * made before it resolves wins: the stored session is then not restored.
   */
  readonly ready: Promise<void>;
  signIn(input: SignInInput): Promise<SignInOutput>;
  confirmSignIn(input: ConfirmSignInInput): Promise<SignInOutput>;
  /** The tokens of the signed-in user, or null. */
  readonly tokens: AuthTokens | null;
  /** A new TOTP secret for the signed-in user (AssociateSoftwareToken); verify it with verifyTOTPSetup. */
  setUpTOTP(input?: WithSignal): Promise<TotpSetupDetails>;
  /** Checks a code of the new secret (VerifySoftwareToken); rejects with EnableSoftwareTokenMFAException on a wrong code. */
  verifyTOTPSetup(input: VerifyTotpSetupInput): Promise<void>;
  /** Turns factors on or off and picks the preferred one (SetUserMFAPreference); absent ones stay as they are. */
  updateMFAPreference(input: UpdateMfaPreferenceInput): Promise<void>;
  /** The enabled factors and the preferred one (GetUser). */
  fetchMFAPreference(input?: WithSignal): Promise<MfaPreference>;
  /** Forgets the tokens, then revokes the refresh token (RevokeToken). */
  signOut(options?: SignOutOptions): Promise<void>;
  /** Releases the wasm memory of this instance. */
  free(): void;
}

// ---- Sessions and accounts (merged into the CognitoAuth class above).

/**
 * `signal` stops this call's wait, and the tokens stay as they are; the
 * refresh itself is shared by the calls that wait for it and goes on
 * (within `requestTimeout`), as a refresh cut off mid-way could lose a
 * rotated refresh token.
 */
export interface FetchSessionOptions extends WithSignal {
  /** Refresh even when the tokens are not about to expire. */
  forceRefresh?: boolean;
}

export interface AuthSession {
  /** The (refreshed when due) tokens, or null when no user is signed in. */
  tokens: AuthTokens | null;
  /**
   * With `identityPoolId`: the identity pool's temporary AWS credentials for
   * the signed-in user (or a guest, with `allowGuestAccess`). Absent when
   * there are none (no user, and no guest access).
   */
  credentials?: AWSCredentials;
  /** With `identityPoolId`: the identity the credentials are for. */
  identityId?: string;
}

/** Temporary AWS credentials, as Amplify v6 and the AWS SDK v3 name them. */
export interface AWSCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** When they expire (the service's clock). */
  expiration: Date;
}

/**
 * An AWS SDK v3 credentials provider (`AwsCredentialIdentityProvider`):
 * called by the SDK before it signs a request.
 */
export type CredentialsProvider = (options?: { forceRefresh?: boolean }) => Promise<AWSCredentials>;

export type AuthEventName = 'signedIn' | 'tokenRefresh' | 'tokenRefreshFailure' | 'signedOut';

export interface AuthEvent {
  event: AuthEventName;
  /** The tokens after the event (null after signedOut). */
  tokens: AuthTokens | null;
}

export interface SignOutOptions extends WithSignal {
  /** GlobalSignOut: end every session of the user, on every device. */
  global?: boolean;
  /**
   * With the `oauth` option, the sign-out of a session of managed login
   * also ends the managed-login session: the page goes to the logout
   * endpoint, which sends it back to `redirectUrl` (one of
   * redirectSignOut) or the redirectSignOut URL of the page. `false`: stay
   * on the page (the managed-login session goes on, and signs the user in
   * again without a password).
   */
  oauth?: false | { redirectUrl?: string };
}

/** Where a code was sent (masked), as Amplify v6 names it. */
export interface AttributeCodeDeliveryDetails {
  destination: string | null;
  deliveryMedium: 'EMAIL' | 'SMS' | (string & {}) | null;
  attributeName: string | null;
}

export interface SignUpOptions {
  userAttributes?: Record<string, string>;
  /** Passed to the pre sign-up trigger. */
  validationData?: Record<string, string>;
  clientMetadata?: Record<string, string>;
  /**
   * `autoSignIn()` signs in after `confirmSignUp`: with the password (by
   * `authFlowType`, default USER_SRP_AUTH), or, without a password or with
   * `{ authFlowType: 'USER_AUTH' }`, with the Session the service gives
   * ConfirmSignUp (no factor asked again).
   */
  autoSignIn?: boolean | { authFlowType?: AuthFlow };
}

/** The optional fields may also be nested in `options`, as Amplify v6 does. */
export interface SignUpInput extends SignUpOptions, WithSignal {
  username: string;
  /** Absent: a passwordless user, for pools whose sign-in policy offers EMAIL_OTP, SMS_OTP or WEB_AUTHN (USER_AUTH). */
  password?: string;
  options?: SignUpOptions;
}

/** Passed to the pool's Lambda triggers (top-level, or in `options` as Amplify v6 nests it). */
export interface WithClientMetadata {
  clientMetadata?: Record<string, string>;
  options?: { clientMetadata?: Record<string, string> };
}

export type SignUpStep =
  | { signUpStep: 'CONFIRM_SIGN_UP'; codeDeliveryDetails: AttributeCodeDeliveryDetails }
  | { signUpStep: 'DONE' }
  | { signUpStep: 'COMPLETE_AUTO_SIGN_IN' };

export interface SignUpOutput {
  isSignUpComplete: boolean;
  /** The new user's `sub`. */
  userId: string | null;
  nextStep: SignUpStep;
}

export interface ResetPasswordOutput {
  isPasswordReset: false;
  nextStep: {
    resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE';
    codeDeliveryDetails: AttributeCodeDeliveryDetails;
  };
}

export type UpdateUserAttributesOutput = Record<
  string,
  {
    isUpdated: boolean;
    nextStep:
      | { updateAttributeStep: 'DONE' }
      | { updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE'; codeDeliveryDetails: AttributeCodeDeliveryDetails };
  }
>;

export interface CurrentUser {
  username: string;
  /** The user's `sub`. */
  userId: string | null;
}

export interface CognitoAuth {
  /**
   * Valid tokens: refreshed first (GetTokensFromRefreshToken with rotation,
   * or REFRESH_TOKEN_AUTH where the pool lacks it) when they expire within a
   * minute, allowing for clock drift, or when `forceRefresh` is set.
   * Concurrent calls share one refresh (and tabs take turns: see
   * `storage`). A revoked or expired refresh token signs the user out
   * (events tokenRefreshFailure, signedOut) and rejects.
   *
   * The calls that send the access token (the attribute, password, MFA and
   * user calls) call this first, so they never send an expired one.
   *
   * With `identityPoolId`, also `credentials` and `identityId`: fetched
   * when there are none for this user, when they expire within 5 minutes
   * (or half their lifetime, when that is shorter), or with `forceRefresh`;
   * concurrent calls share one fetch, and with a storage they are kept
   * (under `cognito-wasm.<clientId>.<identityPoolId>.identity`) and shared
   * by the tabs, which take turns under the Web Lock
   * `cognito-wasm.<clientId>.<identityPoolId>.credentials`. The identity is
   * kept per identity pool; a guest who signs in passes the guest identity
   * on (it becomes the user's), as in Amplify v6. signOut forgets both.
   * Identity-pool refusals reject with the service's names
   * (NotAuthorizedException, ResourceNotFoundException, ...).
   */
  fetchSession(options?: FetchSessionOptions): Promise<AuthSession>;
  /**
   * Loads the wasm module the session needs next (the sign-in module when
   * signed out, the account module when signed in) before a call needs it:
   * at idle time, or when a sign-in form appears. Optional; every call loads
   * what it needs.
   */
  prefetch(): Promise<void>;
  /**
   * The identity pool's credentials for the AWS SDK v3:
   * `new S3Client({ region, credentials: auth.credentialsProvider() })`.
   * Each call gives the credentials `fetchSession` would (the tokens
   * refreshed first when due; `forceRefresh` renews the credentials alone).
   * Rejects with InvalidStateError when there are none (no user signed in,
   * and no `allowGuestAccess`), ValidationError without `identityPoolId`.
   */
  credentialsProvider(): CredentialsProvider;
  onChange(listener: (event: AuthEvent) => void): void;
  offChange(listener: (event: AuthEvent) => void): void;
  /** Local state is cleared first, even offline; then RevokeToken, or GlobalSignOut with `global`. */
  signOut(options?: SignOutOptions): Promise<void>;
  signUp(input: SignUpInput): Promise<SignUpOutput>;
  confirmSignUp(input: { username: string; confirmationCode: string } & WithClientMetadata & WithSignal): Promise<SignUpOutput>;
  /** After `confirmSignUp` answered COMPLETE_AUTO_SIGN_IN. */
  autoSignIn(input?: WithSignal): Promise<SignInOutput>;
  resendSignUpCode(input: { username: string } & WithClientMetadata & WithSignal): Promise<AttributeCodeDeliveryDetails>;
  resetPassword(input: { username: string } & WithClientMetadata & WithSignal): Promise<ResetPasswordOutput>;
  confirmResetPassword(
    input: { username: string; confirmationCode: string; newPassword: string } & WithClientMetadata & WithSignal,
  ): Promise<null>;
  /** ChangePassword, for the signed-in user. */
  updatePassword(input: { oldPassword: string; newPassword: string } & WithSignal): Promise<null>;
  fetchUserAttributes(input?: WithSignal): Promise<Record<string, string>>;
  updateUserAttributes(input: { userAttributes: Record<string, string> } & WithClientMetadata & WithSignal): Promise<UpdateUserAttributesOutput>;
  deleteUserAttributes(input: { userAttributeKeys: string[] } & WithSignal): Promise<null>;
  sendUserAttributeVerificationCode(input: { userAttributeKey: string } & WithClientMetadata & WithSignal): Promise<AttributeCodeDeliveryDetails>;
  confirmUserAttribute(input: { userAttributeKey: string; confirmationCode: string } & WithSignal): Promise<null>;
  getCurrentUser(input?: WithSignal): Promise<CurrentUser>;
  /** Deletes the signed-in user, then signs out locally. */
  deleteUser(input?: WithSignal): Promise<null>;
}

// ---- Remembered devices (merged into the CognitoAuth class above).

/** A device of the user, as ListDevices reports it (Amplify v6's shape). */
export interface FetchDevicesOutput {
  /** The DeviceKey. */
  id: string;
  /** The `device_name` attribute (ConfirmDevice's DeviceName: the browser's user agent). */
  name?: string;
  /** Every device attribute: `device_name`, `device_status`, `dev:device_remembered_status` ('remembered' or 'not_remembered'), ... */
  attributes: Record<string, string>;
  createDate?: Date;
  lastAuthenticatedDate?: Date;
  lastModifiedDate?: Date;
}

export interface ForgetDeviceInput extends WithSignal {
  /** A device of `fetchDevices`; absent: this device. */
  device?: { id: string };
}

export interface CognitoAuth {
  /**
   * Marks this device remembered (UpdateDeviceStatus), for pools that
   * remember devices only when the user says so. A remembered device skips
   * MFA at sign-in. Rejects with InvalidStateError when no device is known.
   *
   * Devices: when the user pool tracks devices, a sign-in on a new device
   * confirms it (ConfirmDevice, with an SRP verifier of a random device
   * secret) after its result, and the calls that use devices wait for that;
   * the secret is kept in `storage` (memory by default) under
   * `cognito-wasm.<clientId>.<username as typed>.device` and outlives
   * signOut. The next signIn as that username proves the device with
   * DEVICE_SRP_AUTH. A device the service no longer knows
   * (ResourceNotFoundException) is dropped and the sign-in retried once
   * without it; a new device is then confirmed.
   */
  rememberDevice(input?: WithSignal): Promise<void>;
  /** ForgetDevice: `device.id`, or this device (which is then no longer stored). */
  forgetDevice(input?: ForgetDeviceInput): Promise<void>;
  /** The user's devices (ListDevices, up to 60). */
  fetchDevices(input?: WithSignal): Promise<FetchDevicesOutput[]>;
}

// ---- Passkeys (merged into the CognitoAuth class above).

/** A passkey of the user, as ListWebAuthnCredentials reports it (Amplify v6's AuthWebAuthnCredential). */
export interface AuthWebAuthnCredential {
  /** The credential id, base64url. */
  credentialId: string | undefined;
  friendlyCredentialName: string | undefined;
  relyingPartyId: string | undefined;
  /** `platform` or `cross-platform`. */
  authenticatorAttachment?: string;
  authenticatorTransports: string[] | undefined;
  createdAt: Date | undefined;
}

export interface ListWebAuthnCredentialsInput {
  /** At most this many (the service: 1 to 20, default 20). */
  pageSize?: number;
  /** The `nextToken` of the page before. */
  nextToken?: string;
}

export interface ListWebAuthnCredentialsOutput {
  credentials: AuthWebAuthnCredential[];
  /** Present when there are more. */
  nextToken?: string;
}

export interface DeleteWebAuthnCredentialInput {
  credentialId: string;
}

export interface CognitoAuth {
  /**
   * Registers a passkey for the signed-in user: StartWebAuthnRegistration,
   * the browser's prompt (navigator.credentials.create), then
   * CompleteWebAuthnRegistration. A dismissed prompt rejects with
   * PasskeyRegistrationCanceled, a passkey this authenticator already holds
   * with PasskeyAlreadyExists, a relying party id that is not the page's
   * domain with RelyingPartyMismatch.
   */
  associateWebAuthnCredential(): Promise<void>;
  /** The user's passkeys (ListWebAuthnCredentials). */
  listWebAuthnCredentials(input?: ListWebAuthnCredentialsInput): Promise<ListWebAuthnCredentialsOutput>;
  /** Deletes a passkey (DeleteWebAuthnCredential); an unknown one rejects with ResourceNotFoundException. */
  deleteWebAuthnCredential(input: DeleteWebAuthnCredentialInput): Promise<void>;
}

// ---- Managed login, OAuth 2.0 (merged into the CognitoAuth class above).

export interface CognitoAuth {
  /**
   * Signs in through managed login: the page goes to the user pool domain's
   * authorize endpoint (the managed login page, or the identity provider
   * `provider`) with a new `state` and PKCE challenge (S256), which wait in
   * this tab's sessionStorage. Resolves as the page navigates away; the page
   * the user comes back to (redirectSignIn) finishes with `handleRedirect`
   * (`ready` awaits it). Needs the `oauth` option (a ValidationError
   * otherwise).
   */
  signInWithRedirect(input?: SignInWithRedirectInput): Promise<void>;
  /**
   * The same sign-in in a popup (call it in a click handler): resolves here,
   * in the opener, once the popup came back, the code was redeemed and the
   * session started; the popup is then closed. Rejects with
   * OAuthPopupBlockedError when the browser did not open it, and with
   * OAuthPopupClosedError when it was closed before the end; the other
   * errors are handleRedirect's.
   */
  signInWithPopup(input?: SignInWithRedirectInput): Promise<HandleRedirectOutput>;
  /**
   * On the page the user came back to from managed login: checks the
   * `state`, redeems the `code` with the PKCE verifier at the token
   * endpoint (with HTTP Basic client authentication when the client has a
   * secret), starts the session as a signIn does (storage, events, tabs,
   * refresh), and removes `code` and `state` from the URL
   * (history.replaceState). Idempotent: later calls give the same outcome;
   * without `code` or `error` in the URL, nothing happens. With the `oauth`
   * option, `ready` awaits it (and never rejects: this gives the error).
   * Rejects with OAuthStateError (a missing or foreign state: a tampered
   * link, or a sign-in started in another tab), OAuthCancelledError (the
   * user cancelled: `access_denied`), OAuthCodeError (an expired or reused
   * code), OAuthError (any other error of the user pool domain or the
   * identity provider, with its `error_description`); the instance then
   * stays as it was.
   */
  handleRedirect(): Promise<HandleRedirectOutput>;
}
