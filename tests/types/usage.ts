// Type-checks the public surface as an app uses it (tsc -p tests/types, in
// npm test, against the packed package). The @ts-expect-error lines must fail
// to compile: they prove the types refuse misuse.
import init, {
  CognitoAuth,
  type AuthFactorType,
  type AuthTokens,
  type AWSCredentials,
  type AuthWebAuthnCredential,
  type CognitoError,
  type CredentialsProvider,
  type CognitoErrorName,
  type FetchDevicesOutput,
  type ListWebAuthnCredentialsOutput,
  type MfaType,
  type SignInOutput,
} from 'cognito-wasm';
import { credentialsProvider, tokenProvider } from 'cognito-wasm/amplify';

/** A host that serves both wasm files from a CDN. */
export async function initFromElsewhere(): Promise<void> {
  await init(new URL('https://cdn.example/cognito_wasm_bg.wasm'), fetch('https://cdn.example/cognito_wasm_account_bg.wasm'));
}

export async function signInFlow(): Promise<string | undefined> {
  await init();
  const auth = new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'client', endpoint: 'http://127.0.0.1:9229' });
  const map = new Map<string, string>();
  const kept = new CognitoAuth({
    userPoolId: 'us-east-1_Pool',
    clientId: 'client',
    storage: {
      getItem: async (key) => map.get(key) ?? null,
      setItem: (key, value) => void map.set(key, value),
      removeItem: async (key) => void map.delete(key),
    },
  });
  await kept.ready;
  new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'client', storage: 'localStorage' });
  let result: SignInOutput = await auth.signIn({ username: 'demo', password: 'pw', authFlow: 'USER_PASSWORD_AUTH' });
  if (result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED') {
    const attributes = Object.fromEntries(result.nextStep.missingAttributes.map((name) => [name, 'value']));
    result = await auth.confirmSignIn({ challengeResponse: 'new-pw', userAttributes: attributes });
  }
  if (result.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION') {
    const choice: MfaType = result.nextStep.allowedMFATypes.includes('TOTP') ? 'TOTP' : 'EMAIL';
    result = await auth.confirmSignIn({ challengeResponse: choice });
  }
  switch (result.nextStep.signInStep) {
    case 'CONFIRM_SIGN_IN_WITH_SMS_CODE':
    case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE': {
      const sentTo: string | null = result.nextStep.codeDeliveryDetails.destination;
      result = await auth.confirmSignIn({ challengeResponse: `123456${sentTo ?? ''}` });
      break;
    }
    case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP': {
      const uri: URL = result.nextStep.totpSetupDetails.getSetupUri('My App');
      result = await auth.confirmSignIn({ challengeResponse: uri.searchParams.get('secret') ?? '' });
      break;
    }
    case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
      result = await auth.confirmSignIn({ challengeResponse: '123456' });
      break;
    default:
      break;
  }
  // @ts-expect-error the TOTP step carries no delivery details
  if (result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE') result.nextStep.codeDeliveryDetails;
  const setup = await auth.setUpTOTP();
  await auth.verifyTOTPSetup({ code: setup.sharedSecret.slice(0, 6), options: { friendlyDeviceName: 'phone' } });
  await auth.updateMFAPreference({ totp: 'PREFERRED', sms: 'DISABLED' });
  const preference = await auth.fetchMFAPreference();
  const preferred: MfaType | undefined = preference.preferred;
  // @ts-expect-error the preference values are ENABLED, DISABLED, PREFERRED, NOT_PREFERRED
  await auth.updateMFAPreference({ email: 'ON' });
  const tokens: AuthTokens | null = auth.tokens ?? (preferred ? null : null);
  const expires: number | undefined = tokens?.expiresAt.getTime();
  await auth.signOut();
  try {
    const custom = await auth.signIn({ username: 'u', authFlow: 'CUSTOM_WITHOUT_SRP' });
    if (custom.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE') {
      const question: string | undefined = custom.nextStep.additionalInfo.question;
      await auth.confirmSignIn({ challengeResponse: question ?? '', clientMetadata: { round: '1' } });
    }
    // @ts-expect-error authFlow takes Amplify's names, not the wire name CUSTOM_AUTH
    await auth.signIn({ username: 'u', password: 'p', authFlow: 'CUSTOM_AUTH' });
  } catch (error) {
    return (error as CognitoError).name + String(expires);
  }
  const devices: FetchDevicesOutput[] = await auth.fetchDevices();
  const created: Date | undefined = devices[0]?.createDate;
  const status: string | undefined = devices[0]?.attributes['dev:device_remembered_status'];
  await auth.rememberDevice();
  await auth.forgetDevice({ device: { id: devices[0]?.id ?? '' } });
  await auth.forgetDevice();
  // @ts-expect-error forgetDevice takes a device of fetchDevices, not its id
  await auth.forgetDevice({ device: 'us-east-1_key' });
  if (created && status) return status;
  // @ts-expect-error clientId is required
  new CognitoAuth({ userPoolId: 'us-east-1_Pool' });
  // @ts-expect-error: storage is 'memory', 'localStorage', 'sessionStorage' or a storage object.
  new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'client', storage: 'disk' });
  return undefined;
}

export async function choiceBasedSignIn(): Promise<AuthFactorType[]> {
  const auth = new CognitoAuth({
    userPoolId: 'us-east-1_Pool',
    clientId: 'client',
    analyticsEndpointId: 'pinpoint-endpoint',
    userContextData: ({ username, userPoolId, userPoolClientId }) => `${username}:${userPoolId}:${userPoolClientId}`,
  });
  let result = await auth.signIn({
    username: 'u',
    options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP', clientMetadata: { app: 'types' } },
  });
  let offered: AuthFactorType[] = [];
  if (result.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION') {
    offered = result.nextStep.availableChallenges;
    result = await auth.confirmSignIn({ challengeResponse: offered.includes('PASSWORD_SRP') ? 'PASSWORD_SRP' : 'SMS_OTP' });
  }
  if (result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_PASSWORD') {
    result = await auth.confirmSignIn({ challengeResponse: 'pw', options: { clientMetadata: { step: 'password' } } });
  }
  await auth.signIn({ username: 'u', password: 'pw', authFlow: 'USER_AUTH', preferredChallenge: 'PASSWORD' });
  // @ts-expect-error preferredChallenge is a first factor, not an MFA type
  await auth.signIn({ username: 'u', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'TOTP' } });
  // @ts-expect-error userContextData is a function of the call's user
  new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'client', userContextData: 'encoded' });
  await auth.resetPassword({ username: 'u', options: { clientMetadata: { reason: 'forgot' } } });
  await auth.signUp({ username: 'u', password: 'p', options: { userAttributes: { email: 'u@x' }, autoSignIn: true } });
  return offered;
}

export async function sessionsAndAccounts(auth: CognitoAuth): Promise<number> {
  auth.onChange(({ event, tokens }) => {
    if (event === 'tokenRefresh') console.log(tokens?.expiresAt);
  });
  // @ts-expect-error not an event name
  auth.onChange(({ event }) => event === 'refreshed');
  await auth.prefetch();
  const { tokens } = await auth.fetchSession({ forceRefresh: true });
  const signUp = await auth.signUp({ username: 'u', password: 'p', userAttributes: { email: 'u@x' }, autoSignIn: true });
  if (signUp.nextStep.signUpStep === 'CONFIRM_SIGN_UP') {
    const sentTo: string | null = signUp.nextStep.codeDeliveryDetails.destination;
    const confirmed = await auth.confirmSignUp({ username: 'u', confirmationCode: sentTo ?? '' });
    if (confirmed.nextStep.signUpStep === 'COMPLETE_AUTO_SIGN_IN') await auth.autoSignIn();
  }
  await auth.resendSignUpCode({ username: 'u' });
  const reset = await auth.resetPassword({ username: 'u' });
  await auth.confirmResetPassword({ username: 'u', confirmationCode: reset.nextStep.resetPasswordStep, newPassword: 'n' });
  await auth.updatePassword({ oldPassword: 'o', newPassword: 'n' });
  const attributes: Record<string, string> = await auth.fetchUserAttributes();
  const updates = await auth.updateUserAttributes({ userAttributes: { locale: attributes.locale ?? 'en' } });
  await auth.deleteUserAttributes({ userAttributeKeys: Object.keys(updates) });
  // @ts-expect-error userAttributeKeys is a list
  await auth.deleteUserAttributes({ userAttributeKeys: 'locale' });
  await auth.sendUserAttributeVerificationCode({ userAttributeKey: 'email' });
  await auth.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: '123456' });
  const user = await auth.getCurrentUser();
  await auth.signOut({ global: true });
  await auth.deleteUser();
  const clientId: unknown = tokens?.accessTokenClaims?.client_id;
  return (tokens?.expiresAt.getTime() ?? 0) + user.username.length + String(clientId).length;
}

/** AWS credentials from an identity pool: fetchSession's, the AWS SDK's provider, Amplify's providers. */
export async function identityPool(): Promise<number> {
  const auth = new CognitoAuth({
    userPoolId: 'us-east-1_Pool',
    clientId: 'client',
    identityPoolId: 'us-east-1:5e2c5a9b-8d1f-4c3e-9a7b-0d6f1e2a3b4c',
    allowGuestAccess: true,
  });
  // @ts-expect-error allowGuestAccess is a boolean
  new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'client', identityPoolId: 'x', allowGuestAccess: 'yes' });
  const { credentials, identityId } = await auth.fetchSession();
  const provider: CredentialsProvider = auth.credentialsProvider();
  const keys: AWSCredentials = await provider({ forceRefresh: true });
  const fromAmplify = await credentialsProvider(auth).getCredentialsAndIdentityId();
  const tokens = await tokenProvider(auth).getTokens({ forceRefresh: false });
  const sub = tokens?.accessToken.payload.sub;
  return keys.expiration.getTime() + (credentials?.sessionToken.length ?? 0) + String(identityId ?? fromAmplify?.identityId ?? sub).length;
}

/** Passkeys, passkey autofill, the MFA setup steps and passwordless sign-up. */
export async function passkeysAndPasswordless(auth: CognitoAuth): Promise<number> {
  await auth.associateWebAuthnCredential();
  const page: ListWebAuthnCredentialsOutput = await auth.listWebAuthnCredentials({ pageSize: 5 });
  const more = page.nextToken ? await auth.listWebAuthnCredentials({ nextToken: page.nextToken }) : page;
  const first: AuthWebAuthnCredential | undefined = more.credentials[0];
  if (first?.credentialId) await auth.deleteWebAuthnCredential({ credentialId: first.credentialId });
  // @ts-expect-error the credential is named by its id
  await auth.deleteWebAuthnCredential({ id: 'x' });
  const typed = new AbortController();
  let result = await auth.signIn({
    username: 'demo',
    options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' },
    mediation: 'conditional',
    signal: typed.signal,
  });
  try {
    result = await auth.signIn({ username: 'demo', authFlow: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' });
  } catch (error) {
    if ((error as CognitoError).name === 'PasskeyAuthenticationCanceled') result = await auth.confirmSignIn({ challengeResponse: 'WEB_AUTHN' });
  }
  switch (result.nextStep.signInStep) {
    case 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION': {
      const choice: MfaType = result.nextStep.allowedMFATypes.includes('EMAIL') ? 'EMAIL' : 'TOTP';
      result = await auth.confirmSignIn({ challengeResponse: choice });
      break;
    }
    case 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP':
      result = await auth.confirmSignIn({ challengeResponse: 'me@example.com' });
      break;
    case 'CONFIRM_SIGN_UP':
    case 'RESET_PASSWORD':
      return 0;
    default:
      break;
  }
  const signUp = await auth.signUp({ username: 'new', options: { userAttributes: { email: 'new@x' }, autoSignIn: { authFlowType: 'USER_AUTH' } } });
  if (signUp.nextStep.signUpStep === 'CONFIRM_SIGN_UP') await auth.confirmSignUp({ username: 'new', confirmationCode: '123456' });
  const signedIn = await auth.autoSignIn();
  return (first?.createdAt?.getTime() ?? 0) + Number(result.isSignedIn) + Number(signedIn.isSignedIn);
}

// Cancellation and timeouts (README "Errors and timeouts").
export async function cancellable(controller: AbortController): Promise<string> {
  const auth = new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'client', requestTimeout: 10_000, maxAttempts: 5 });
  const signal = controller.signal;
  // @ts-expect-error requestTimeout is a number of milliseconds
  new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'client', requestTimeout: '10s' });
  try {
    await auth.signIn({ username: 'u', password: 'p', signal });
    await auth.confirmSignIn({ challengeResponse: '123456', signal: AbortSignal.timeout(5_000) });
    await auth.fetchSession({ forceRefresh: true, signal });
    await auth.fetchUserAttributes({ signal });
    await auth.getCurrentUser({ signal });
    await auth.updateUserAttributes({ userAttributes: { locale: 'en' }, signal });
    await auth.resetPassword({ username: 'u', signal });
    await auth.fetchDevices({ signal });
    await auth.forgetDevice({ signal });
    await auth.autoSignIn({ signal });
    // @ts-expect-error signal is an AbortSignal
    await auth.fetchMFAPreference({ signal: 'stop' });
    await auth.signOut({ global: true, signal });
    return 'done';
  } catch (error) {
    const name: CognitoErrorName = (error as CognitoError).name;
    return name === 'TimeoutError' || name === 'AbortError' ? 'cancelled' : name;
  }
}

/** Managed login, as Amplify v6 configures it. */
export async function managedLogin(): Promise<string | undefined> {
  const auth = new CognitoAuth({
    userPoolId: 'us-east-1_Pool',
    clientId: 'client',
    oauth: {
      domain: 'auth.example.com',
      scopes: ['openid', 'email', 'aws.cognito.signin.user.admin'],
      redirectSignIn: ['https://app.example/'],
      redirectSignOut: 'https://app.example/',
      responseType: 'code',
    },
  });
  // @ts-expect-error only the code grant
  new CognitoAuth({ userPoolId: 'p', clientId: 'c', oauth: { domain: 'd', redirectSignIn: 'r', responseType: 'token' } });
  await auth.ready;
  const back = await auth.handleRedirect();
  if (!back.isSignedIn) await auth.signInWithRedirect({ provider: 'Google', customState: 'cart', options: { prompt: 'SELECT_ACCOUNT' } });
  await auth.signInWithRedirect({ provider: { custom: 'ExampleIdP' }, options: { loginHint: 'jane', lang: 'fr', nonce: 'n' } });
  await auth.signInWithRedirect({ provider: { idpIdentifier: 'example.com' } });
  await auth.signInWithRedirect();
  // @ts-expect-error not one of Amplify's social providers
  await auth.signInWithRedirect({ provider: 'MySpace' });
  const popup = await auth.signInWithPopup({ provider: 'Apple' }).catch((error: CognitoError) => {
    if (error.name === 'OAuthPopupClosedError' || error.name === 'OAuthCancelledError') return null;
    throw error;
  });
  await auth.signOut({ oauth: false });
  await auth.signOut({ oauth: { redirectUrl: 'https://app.example/' } });
  return popup?.customState ?? back.customState;
}
