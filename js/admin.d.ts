// Types of `cognito-wasm/admin`: the IAM-signed admin API for server
// runtimes. Inputs and outputs use the AWS field names, as the AWS SDK v3
// commands do; CreationDate and LastModifiedDate are `Date`s.

import type { WasmInput, WebAbortSignal } from './web-types.js';

/**
 * Loads the admin wasm module once (optional: the methods call it); `input`
 * places it (`cognito-wasm/admin.wasm`) for hosts that serve it elsewhere.
 * Rejects with a `WasmLoadError` naming the cause, or a `NetworkError`.
 */
export default function init(input?: WasmInput): Promise<void>;

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** For temporary credentials (STS). */
  sessionToken?: string;
}

export interface CognitoAdminOptions {
  /** e.g. `us-east-1`: the signing region and the default endpoint's. */
  region: string;
  credentials: AwsCredentials;
  /** Defaults to `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string;
  /** IAM keys must never reach a browser: without this, any call rejects where `window` exists. */
  allowBrowser?: boolean;
  /**
   * The milliseconds a call may take, its retries included: then it rejects
   * with a `TimeoutError` naming the operation. Default 30,000; `0` turns it off.
   */
  requestTimeout?: number;
  /**
   * The tries of a throttled call (TooManyRequestsException,
   * ThrottlingException, HTTP 429), an HTTP 500/502/503/504, or a
   * connection that failed before any answer, with exponential backoff and
   * full jitter as the AWS SDKs' standard mode. Default 3, from 1 to 10.
   */
  maxAttempts?: number;
}

/**
 * Every call takes `signal` in its input (it is not sent): aborting it
 * rejects the call with the signal's reason.
 */
export interface WithSignal {
  signal?: WebAbortSignal;
}

export type AuthFlowType =
  | 'USER_SRP_AUTH'
  | 'REFRESH_TOKEN_AUTH'
  | 'REFRESH_TOKEN'
  | 'CUSTOM_AUTH'
  | 'ADMIN_NO_SRP_AUTH'
  | 'USER_PASSWORD_AUTH'
  | 'ADMIN_USER_PASSWORD_AUTH'
  | 'USER_AUTH';
export type AdminAuthFlowType = Exclude<AuthFlowType, 'USER_PASSWORD_AUTH'>;
/** InitiateAuth refuses the ADMIN_ flows (they exist only for AdminInitiateAuth). */
export type InitiateAuthFlowType = Exclude<AuthFlowType, 'ADMIN_NO_SRP_AUTH' | 'ADMIN_USER_PASSWORD_AUTH'>;

export type ChallengeNameType =
  | 'SMS_MFA'
  | 'EMAIL_OTP'
  | 'SOFTWARE_TOKEN_MFA'
  | 'SELECT_MFA_TYPE'
  | 'MFA_SETUP'
  | 'PASSWORD_VERIFIER'
  | 'CUSTOM_CHALLENGE'
  | 'SELECT_CHALLENGE'
  | 'DEVICE_SRP_AUTH'
  | 'DEVICE_PASSWORD_VERIFIER'
  | 'ADMIN_NO_SRP_AUTH'
  | 'NEW_PASSWORD_REQUIRED'
  | 'SMS_OTP'
  | 'PASSWORD'
  | 'WEB_AUTHN'
  | 'PASSWORD_SRP';

export interface AnalyticsMetadataType {
  AnalyticsEndpointId?: string;
}

export interface HttpHeader {
  headerName?: string;
  headerValue?: string;
}

export interface ContextDataType {
  IpAddress: string;
  ServerName: string;
  ServerPath: string;
  HttpHeaders: HttpHeader[];
  EncodedData?: string;
}

export interface UserContextDataType {
  IpAddress?: string;
  EncodedData?: string;
}

/** USERNAME, PASSWORD, SRP_A, REFRESH_TOKEN, SECRET_HASH, DEVICE_KEY, ... as the flow needs. */
export type AuthParameters = Record<string, string>;

export interface NewDeviceMetadataType {
  DeviceKey?: string;
  DeviceGroupKey?: string;
}

export interface AuthenticationResultType {
  AccessToken?: string;
  ExpiresIn?: number;
  TokenType?: string;
  RefreshToken?: string;
  IdToken?: string;
  NewDeviceMetadata?: NewDeviceMetadataType;
}

export interface AuthOutput {
  ChallengeName?: ChallengeNameType;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: AuthenticationResultType;
  /** USER_AUTH without PREFERRED_CHALLENGE: the sign-in methods to choose from. */
  AvailableChallenges?: ChallengeNameType[];
}

/**
 * USER_SRP_AUTH is accepted, but there is no SRP helper here: compute SRP_A and
 * the PASSWORD_VERIFIER answer yourself. ADMIN_USER_PASSWORD_AUTH is the
 * server-side flow (SRP keeps the password on the user's device; a back end
 * that has the password gains nothing from it).
 */
export interface AdminInitiateAuthInput {
  UserPoolId: string;
  ClientId: string;
  AuthFlow: AdminAuthFlowType;
  AuthParameters?: AuthParameters;
  ClientMetadata?: Record<string, string>;
  AnalyticsMetadata?: AnalyticsMetadataType;
  ContextData?: ContextDataType;
  /** USER_AUTH right after ConfirmSignUp: its Session (20 to 4096 characters). */
  Session?: string;
}
export type AdminInitiateAuthOutput = AuthOutput;

export interface AdminRespondToAuthChallengeInput {
  UserPoolId: string;
  ClientId: string;
  ChallengeName: ChallengeNameType;
  /**
   * USERNAME always (+ SECRET_HASH for a client with a secret), and what the
   * challenge needs: SMS_MFA_CODE, EMAIL_OTP_CODE, SOFTWARE_TOKEN_MFA_CODE,
   * ANSWER (CUSTOM_CHALLENGE, SELECT_MFA_TYPE), NEW_PASSWORD, the
   * PASSWORD_VERIFIER claim, ... (checked before sending).
   */
  ChallengeResponses?: Record<string, string>;
  Session?: string;
  AnalyticsMetadata?: AnalyticsMetadataType;
  ContextData?: ContextDataType;
  ClientMetadata?: Record<string, string>;
}
export type AdminRespondToAuthChallengeOutput = AuthOutput;

export interface InitiateAuthInput {
  AuthFlow: InitiateAuthFlowType;
  ClientId: string;
  AuthParameters?: AuthParameters;
  ClientMetadata?: Record<string, string>;
  AnalyticsMetadata?: AnalyticsMetadataType;
  UserContextData?: UserContextDataType;
  Session?: string;
}
export type InitiateAuthOutput = AuthOutput;

export type ExplicitAuthFlowsType =
  | 'ADMIN_NO_SRP_AUTH'
  | 'CUSTOM_AUTH_FLOW_ONLY'
  | 'USER_PASSWORD_AUTH'
  | 'ALLOW_ADMIN_USER_PASSWORD_AUTH'
  | 'ALLOW_CUSTOM_AUTH'
  | 'ALLOW_USER_PASSWORD_AUTH'
  | 'ALLOW_USER_SRP_AUTH'
  | 'ALLOW_REFRESH_TOKEN_AUTH'
  | 'ALLOW_USER_AUTH';
export type OAuthFlowType = 'code' | 'implicit' | 'client_credentials';
export type TimeUnitsType = 'seconds' | 'minutes' | 'hours' | 'days';

export interface TokenValidityUnitsType {
  AccessToken?: TimeUnitsType;
  IdToken?: TimeUnitsType;
  RefreshToken?: TimeUnitsType;
}

export interface RefreshTokenRotationType {
  Feature: 'ENABLED' | 'DISABLED';
  /** 0 to 60. */
  RetryGracePeriodSeconds?: number;
}

export interface AnalyticsConfigurationType {
  ApplicationId?: string;
  ApplicationArn?: string;
  RoleArn?: string;
  ExternalId?: string;
  UserDataShared?: boolean;
}

/** The settings Create and UpdateUserPoolClient share. */
export interface UserPoolClientSettings {
  RefreshTokenValidity?: number;
  AccessTokenValidity?: number;
  IdTokenValidity?: number;
  TokenValidityUnits?: TokenValidityUnitsType;
  ReadAttributes?: string[];
  WriteAttributes?: string[];
  /** ALLOW_ values, or the legacy names: never both (refused before sending). */
  ExplicitAuthFlows?: ExplicitAuthFlowsType[];
  SupportedIdentityProviders?: string[];
  /** Absolute, no fragment, https (http only for http://localhost, http://127.0.0.1 and http://[::1]). */
  CallbackURLs?: string[];
  LogoutURLs?: string[];
  /** Must be one of the CallbackURLs. */
  DefaultRedirectURI?: string;
  AllowedOAuthFlows?: OAuthFlowType[];
  AllowedOAuthScopes?: string[];
  AllowedOAuthFlowsUserPoolClient?: boolean;
  AnalyticsConfiguration?: AnalyticsConfigurationType;
  PreventUserExistenceErrors?: 'LEGACY' | 'ENABLED';
  EnableTokenRevocation?: boolean;
  /** Only for a client with a secret. */
  EnablePropagateAdditionalUserContextData?: boolean;
  /** Minutes, 3 to 15. */
  AuthSessionValidity?: number;
  RefreshTokenRotation?: RefreshTokenRotationType;
}

export interface CreateUserPoolClientInput extends UserPoolClientSettings {
  UserPoolId: string;
  ClientName: string;
  GenerateSecret?: boolean;
  /** A secret of your own (24 to 64 of [A-Za-z0-9_+]); not with GenerateSecret: true. */
  ClientSecret?: string;
}

export interface UpdateUserPoolClientInput extends UserPoolClientSettings {
  UserPoolId: string;
  ClientId: string;
  ClientName?: string;
}

export interface DescribeUserPoolClientInput {
  UserPoolId: string;
  ClientId: string;
}

export interface UserPoolClientType extends UserPoolClientSettings {
  UserPoolId?: string;
  ClientName?: string;
  ClientId?: string;
  ClientSecret?: string;
  LastModifiedDate?: Date;
  CreationDate?: Date;
}

export interface UserPoolClientOutput {
  UserPoolClient?: UserPoolClientType;
}
export type CreateUserPoolClientOutput = UserPoolClientOutput;
export type DescribeUserPoolClientOutput = UserPoolClientOutput;
export type UpdateUserPoolClientOutput = UserPoolClientOutput;

/** A rejected promise's reason: `name` is the Cognito exception or a local error. */
export interface CognitoAdminError extends Error {
  name:
    | 'ValidationError'
    | 'NetworkError'
    | 'WasmLoadError'
    | 'TimeoutError'
    | 'TooManyRequestsException'
    | 'InvalidServerResponse'
    | 'NotAuthorizedException'
    | 'UserNotFoundException'
    | 'InvalidParameterException'
    | 'ResourceNotFoundException'
    | 'UnrecognizedClientException'
    | 'InvalidSignatureException'
    | (string & {});
}

export class CognitoAdmin {
  constructor(options: CognitoAdminOptions);
  adminInitiateAuth(input: AdminInitiateAuthInput & WithSignal): Promise<AdminInitiateAuthOutput>;
  adminRespondToAuthChallenge(input: AdminRespondToAuthChallengeInput & WithSignal): Promise<AdminRespondToAuthChallengeOutput>;
  initiateAuth(input: InitiateAuthInput & WithSignal): Promise<InitiateAuthOutput>;
  createUserPoolClient(input: CreateUserPoolClientInput & WithSignal): Promise<CreateUserPoolClientOutput>;
  describeUserPoolClient(input: DescribeUserPoolClientInput & WithSignal): Promise<DescribeUserPoolClientOutput>;
  updateUserPoolClient(input: UpdateUserPoolClientInput & WithSignal): Promise<UpdateUserPoolClientOutput>;
}
