// The cognito-wasm demo: a plain ES module that uses only the package's
// public API, the way an app without a bundler would.
import init, { CognitoAuth } from 'cognito-wasm';
import qrcode from 'qrcode-generator';
import { showCredentials } from './identity.js';
import { armPasskeyAutofill, passkeySignIn, rememberPasskeyUser, showPasskeys, stopPasskeyAutofill } from './passkeys.js';

const $ = (id) => document.getElementById(id);

// What a person can do about each kind of failure. The error's own message
// (shown above the hint) says what went wrong.
const HINTS = {
  NotAuthorizedException: 'Check the username and the password.',
  UserNotFoundException: 'Check the username: this app client reveals that no such user exists.',
  InvalidParameterException:
    'The app client may not allow this sign-in flow: choose the other flow, or allow it on the app client.',
  InvalidPasswordException: "Choose a password that meets the user pool's password policy.",
  PasswordResetRequiredException: 'The password must be reset before signing in.',
  UserNotConfirmedException: 'The user has not confirmed their account yet.',
  ResourceNotFoundException: 'Check the user pool id and the app client id.',
  TooManyRequestsException: 'Wait a moment, then try again.',
  NetworkError: 'Check the endpoint setting. Is the local endpoint running (npm start)?',
  TimeoutError: 'The endpoint did not answer in time: check the network, then try again.',
  ValidationError: 'Correct the settings or the form, then try again.',
  InvalidStateError: 'Start again by signing in.',
  InvalidServerResponse: 'Check that the endpoint is an Amazon Cognito user-pool API.',
  UnsupportedChallengeError: 'This demo cannot complete that sign-in step.',
  CodeMismatchException: 'Check the code and enter it again.',
  ExpiredCodeException: 'The code has expired: ask for a new one (while signing in: sign in again).',
  UsernameExistsException: 'Choose another username, or sign in with this one.',
  LimitExceededException: 'Wait a while before asking for another code.',
  EnableSoftwareTokenMFAException: "Check the authenticator app's code and enter it again.",
  PasskeyAuthenticationCanceled: 'Try the passkey again, or sign in another way.',
  PasskeyRegistrationCanceled: 'Try again, and confirm with your device (fingerprint, face or PIN).',
  PasskeyAlreadyExists: 'This device already holds a passkey of yours: use it to sign in.',
  RelyingPartyMismatch: "Open the demo on http://localhost:8080: passkeys belong to the pool's relying party id, localhost.",
  PasskeyNotSupported: 'This browser cannot use passkeys here: open the page on https or http://localhost.',
  WebAuthnNotEnabledException: "The user pool does not offer passkeys (its sign-in policy lacks WEB_AUTHN).",
  OAuthCancelledError: 'The sign-in was cancelled: choose another way to sign in, or try again.',
  OAuthStateError: 'That link was not for a sign-in started here: start the sign-in again.',
  OAuthCodeError: 'The sign-in took too long or was used already: start it again.',
  OAuthError: "Check the managed login domain and the app client's callback URLs, OAuth flows and scopes.",
};

/** The CognitoAuth of the current sign-in, made from the settings when it started. */
let auth = null;
let countdownTimer = 0;
let refreshTimer = 0;
/** How many times the tokens were refreshed since the sign-in. */
let refreshes = 0;

/**
 * A new CognitoAuth from the current settings (it throws a ValidationError on
 * unusable ones). The session is kept in localStorage, so a reload or
 * another tab of this page has it too; `onAuthChange` follows what happens
 * to it, here or in another tab.
 */
function useAuth() {
  auth?.free();
  auth = null;
  // The session and the remembered device's secret outlive the page (and
  // each new CognitoAuth the demo makes for a sign-in).
  auth = new CognitoAuth({ ...readSettings(), storage: 'localStorage' });
  auth.onChange(onAuthChange);
  saveSettings();
  return auth;
}

// The settings are kept too (by this page, not the package), so that a reload
// or another tab talks to the same endpoint and app client as the session.
const SETTINGS_KEY = 'cognito-wasm-demo.settings';
const SETTINGS_FIELDS = ['user-pool-id', 'client-id', 'client-secret', 'endpoint', 'identity-pool-id', 'oauth-domain'];

function saveSettings() {
  const values = Object.fromEntries(SETTINGS_FIELDS.map((id) => [id, $(id).value]));
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(values));
}

function loadSettings() {
  try {
    const values = JSON.parse(localStorage.getItem(SETTINGS_KEY)) ?? {};
    for (const id of SETTINGS_FIELDS) if (typeof values[id] === 'string') $(id).value = values[id];
  } catch {} // no saved settings: the defaults in the page
}

// ---- Start: load the WebAssembly module once, restore a stored session, then enable signing in.

init().then(
  async () => {
    $('status').textContent = 'Ready.';
    $('sign-in-button').disabled = false;
    $('passkey-sign-in-button').disabled = false;
    loadSettings();
    // `ready` also awaits the sign-in this page is the way back from
    // (managed login); handleRedirect tells how it went.
    await useAuth().ready;
    await auth.handleRedirect().catch(showError);
    if (auth.tokens) showSignedIn(auth.tokens);
    else armAutofill();
  },
  (error) => {
    showError(error);
    $('status').textContent = 'The WebAssembly module could not be loaded.';
  },
);

// ---- Sign in: a new CognitoAuth from the current settings, then signIn.

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  stopPasskeyAutofill();
  busy(event.submitter, async () => {
    $('status').textContent = 'Signing in…';
    useAuth();
    const authFlowType = $('auth-flow').value;
    const input = { username: $('username').value.trim(), options: { authFlowType } };
    if ($('password').value) input.password = $('password').value;
    // USER_AUTH with a password proves it with SRP at once; without one the
    // user pool lets the person choose (CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION).
    if (authFlowType === 'USER_AUTH' && input.password) input.options.preferredChallenge = 'PASSWORD_SRP';
    const result = await auth.signIn(input);
    $('password').value = '';
    showResult(result);
  });
});

// ---- Passkeys (passkeys.js): a passkey sign-in, and the passkey offered in the username field's autofill.

$('passkey-sign-in-button').addEventListener('click', (event) => {
  stopPasskeyAutofill();
  busy(event.currentTarget, async () => {
    $('status').textContent = 'Signing in with a passkey…';
    // The browser asks for the passkey (a fingerprint, a face, a PIN, a security key).
    const result = await useAuth().signIn(passkeySignIn($('username').value.trim()));
    if (result.isSignedIn) rememberPasskeyUser($('username').value.trim());
    showResult(result);
  });
});

/** Starts passkey autofill for the username in the field (or the last passkey user); it signs in when the user picks the passkey. */
function armAutofill() {
  armPasskeyAutofill(
    useAuth,
    (result) => {
      hideError();
      showResult(result);
    },
    showError,
  );
}

// A new username: autofill for that user. Typing a password (or another
// username) means signing in another way: the pending request is aborted.
$('username').addEventListener('change', armAutofill);
$('username').addEventListener('input', stopPasskeyAutofill);
$('password').addEventListener('input', stopPasskeyAutofill);

/** The constructor options from the settings form; empty optional fields are left out. */
function readSettings() {
  const options = { userPoolId: $('user-pool-id').value.trim(), clientId: $('client-id').value.trim() };
  const clientSecret = $('client-secret').value.trim();
  if (clientSecret) options.clientSecret = clientSecret;
  const endpoint = $('endpoint').value.trim();
  if (endpoint) options.endpoint = endpoint;
  const identityPoolId = $('identity-pool-id').value.trim();
  if (identityPoolId) options.identityPoolId = identityPoolId;
  // Managed login, as Amplify v6 configures it: the user pool domain, and
  // this page as the way back after signing in and out.
  const domain = $('oauth-domain').value.trim();
  const here = location.origin + location.pathname;
  if (domain) {
    const scopes = ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'];
    options.oauth = { domain, scopes, redirectSignIn: [here], redirectSignOut: [here], responseType: 'code' };
  }
  return options;
}

// ---- Managed login: the page goes to the user pool domain (the identity
// provider's page, or the hosted sign-in page) and comes back here, where
// `ready` finishes the sign-in. A signOut of such a session then ends the
// managed-login session too, through the domain's /logout.

$('idp-button').addEventListener('click', (event) => {
  busy(event.currentTarget, () => useAuth().signInWithRedirect({ provider: { custom: 'ExampleIdP' } }));
});

$('hosted-button').addEventListener('click', (event) => {
  busy(event.currentTarget, () => useAuth().signInWithRedirect());
});

$('settings-form').addEventListener('submit', (event) => event.preventDefault());

// CUSTOM_WITHOUT_SRP signs in without a password, USER_AUTH may.
$('auth-flow').addEventListener('change', () => {
  const flow = $('auth-flow').value;
  $('password').required = flow !== 'CUSTOM_WITHOUT_SRP' && flow !== 'USER_AUTH';
  $('password-hint').hidden = flow !== 'USER_AUTH';
});

// ---- The step signIn or confirmSignIn reports.

function showResult({ isSignedIn, nextStep }) {
  if (isSignedIn) {
    showSignedIn(auth.tokens);
  } else if (nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED') {
    showNewPassword(nextStep.missingAttributes);
  } else if (nextStep.signInStep === 'CONFIRM_SIGN_UP') {
    // The password was right, but the account is not confirmed yet: the code sent at sign-up (or a new one).
    $('sign-up-username').value = $('username').value.trim();
    $('confirm-sign-up-prompt').textContent = 'This account is not confirmed yet: enter the code sent when it was created, or send a new one.';
    showInbox('confirm-sign-up-inbox', $('username').value.trim());
    showView('confirm-sign-up', 'Confirm the account first.');
  } else if (nextStep.signInStep === 'RESET_PASSWORD') {
    $('reset-username').value = $('username').value.trim();
    showView('reset-password', 'The password must be reset before signing in.');
  } else if (CHALLENGES[nextStep.signInStep]) {
    showChallenge(nextStep);
  } else {
    throw new Error(`This demo cannot show the sign-in step ${nextStep.signInStep}.`);
  }
}

// ---- The other steps: a code, an answer, a choice, or an authenticator app to set up.

const MFA_NAMES = { SMS: 'a code by SMS', EMAIL: 'a code by email', TOTP: 'an authenticator app' };
const FIRST_FACTOR_NAMES = {
  PASSWORD_SRP: 'my password (SRP: it never leaves this device)',
  PASSWORD: 'my password (sent to the user pool)',
  EMAIL_OTP: 'a code by email',
  SMS_OTP: 'a code by SMS',
  WEB_AUTHN: 'a passkey',
};

/** The choice steps: signInStep -> [label of the list, the choices of nextStep, their names]. */
const CHOICES = {
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: ['Second factor', (s) => s.allowedMFATypes, MFA_NAMES],
  CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION: ['Sign in with', (s) => s.availableChallenges, FIRST_FACTOR_NAMES],
  CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION: ['Second factor to set up', (s) => s.allowedMFATypes, MFA_NAMES],
};

/** signInStep -> [title, prompt(nextStep), label of the answer]. */
const CHALLENGES = {
  CONFIRM_SIGN_IN_WITH_SMS_CODE: ['Enter the SMS code', (s) => `A code was sent by SMS to ${s.codeDeliveryDetails.destination}.`, 'Code'],
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: ['Enter the email code', (s) => `A code was sent by email to ${s.codeDeliveryDetails.destination}.`, 'Code'],
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: ['Enter the authenticator code', () => 'Enter the six-digit code your authenticator app shows.', 'Code'],
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: ['Choose a second factor', () => 'How do you want to prove it is you?', null],
  CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION: ['Choose how to sign in', () => 'The user pool offers these ways to sign in.', null],
  CONFIRM_SIGN_IN_WITH_PASSWORD: ['Enter your password', () => 'You chose to sign in with your password.', 'Password'],
  CONTINUE_SIGN_IN_WITH_TOTP_SETUP: [
    'Set up an authenticator app',
    () => 'This account needs a second factor. Scan the QR code with an authenticator app (or type the secret into it), then enter the code it shows.',
    'Code',
  ],
  CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE: ['Answer the challenge', (s) => s.additionalInfo.question ?? 'Answer the challenge.', 'Answer'],
  CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION: [
    'Set up a second factor',
    () => 'This account needs a second factor. Which one do you want to set up?',
    null,
  ],
  CONTINUE_SIGN_IN_WITH_EMAIL_SETUP: [
    'Set up codes by email',
    () => 'This account needs a second factor: a code by email at each sign-in. Which address should the codes go to?',
    'Email address',
  ],
};

function showChallenge(nextStep) {
  const [title, prompt, label] = CHALLENGES[nextStep.signInStep];
  $('challenge-title').textContent = title;
  $('challenge-prompt').textContent = prompt(nextStep);
  const choosing = label === null;
  $('mfa-choice-field').hidden = !choosing;
  $('challenge-answer-field').hidden = choosing;
  $('challenge-input').required = !choosing;
  $('challenge-input').value = '';
  $('challenge-label').textContent = label ?? 'Code';
  const password = nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_PASSWORD';
  const email = nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP';
  $('challenge-input').type = password ? 'password' : email ? 'email' : 'text';
  $('challenge-input').autocomplete = password ? 'current-password' : email ? 'email' : 'one-time-code';
  if (choosing) {
    const [listLabel, choices, names] = CHOICES[nextStep.signInStep];
    $('mfa-choice-label').textContent = listLabel;
    const options = choices(nextStep).map((choice) =>
      Object.assign(document.createElement('option'), { value: choice, textContent: names[choice] ?? choice }),
    );
    $('mfa-choice').replaceChildren(...options);
  }
  const setup = nextStep.totpSetupDetails;
  $('totp-setup').hidden = !setup;
  if (setup) {
    const uri = setup.getSetupUri('cognito-wasm demo').href;
    $('totp-qr').src = qrCode(uri);
    $('totp-secret').textContent = setup.sharedSecret;
    $('totp-uri').textContent = uri;
  }
  const delivered = Boolean(nextStep.codeDeliveryDetails);
  $('inbox-hint').hidden = !delivered;
  if (delivered) showInbox('inbox-link', $('username').value.trim());
  showView('challenge', title);
}

/** `text` as a QR code image (a GIF data: URL), as authenticator apps scan it. */
function qrCode(text) {
  const code = qrcode(0, 'M'); // type 0: the smallest version that holds the text
  code.addData(text);
  code.make();
  return code.createDataURL(4, 4); // 4 pixels a module, a quiet zone of 4 modules
}

$('challenge-form').addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.submitter, async () => {
    const choosing = !$('mfa-choice-field').hidden;
    const typed = $('challenge-input').type === 'password' ? $('challenge-input').value : $('challenge-input').value.trim();
    const challengeResponse = choosing ? $('mfa-choice').value : typed;
    const result = await auth.confirmSignIn({ challengeResponse });
    $('challenge-input').value = '';
    if (result.isSignedIn && challengeResponse === 'WEB_AUTHN') rememberPasskeyUser($('username').value.trim());
    showResult(result);
  });
});

$('challenge-cancel').addEventListener('click', () => {
  hideError();
  showView('sign-in', 'Ready.');
});

// ---- New password required: the new password and the missing attributes.

function showNewPassword(missingAttributes) {
  $('new-password-username').value = $('username').value;
  $('new-password-input').value = '';
  const fields = missingAttributes.map((name) => {
    const id = `attribute-${name}`;
    const label = Object.assign(document.createElement('label'), { htmlFor: id });
    label.append(Object.assign(document.createElement('code'), { textContent: name }), ' ');
    label.append(Object.assign(document.createElement('span'), { className: 'optional', textContent: '(required by the user pool)' }));
    const input = Object.assign(document.createElement('input'), { id, name, required: true });
    input.dataset.testid = id;
    input.dataset.attribute = name;
    return [label, input];
  });
  $('missing-attributes').replaceChildren(...fields.flat());
  $('new-password-who').textContent = $('username').value;
  showView('new-password', 'A new password is required.');
}

$('new-password-form').addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.submitter, async () => {
    const inputs = $('missing-attributes').querySelectorAll('input[data-attribute]');
    const userAttributes = Object.fromEntries([...inputs].map((input) => [input.dataset.attribute, input.value]));
    const result = await auth.confirmSignIn({ challengeResponse: $('new-password-input').value, userAttributes });
    $('new-password-input').value = '';
    showResult(result);
  });
});

$('new-password-cancel').addEventListener('click', () => {
  hideError();
  showView('sign-in', 'Ready.'); // the next signIn starts over and drops the pending step
});

// ---- Sign-up: signUp (with autoSignIn), confirmSignUp with the emailed code, autoSignIn.

$('show-sign-up').addEventListener('click', () => {
  hideError();
  showView('sign-up', 'Choose a username and a password.');
});

$('sign-up-form').addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.submitter, async () => {
    const username = $('sign-up-username').value.trim();
    const input = {
      username,
      userAttributes: { email: $('sign-up-email').value.trim(), name: $('sign-up-name').value.trim() },
      // Sign in once confirmed, without asking for the password again: with
      // the password, or (passwordless) with the Session of the confirmation.
      autoSignIn: true,
    };
    // No password: a passwordless account (the pool's sign-in policy offers email codes and passkeys).
    if ($('sign-up-password').value) input.password = $('sign-up-password').value;
    const result = await useAuth().signUp(input);
    $('sign-up-password').value = '';
    if (result.isSignUpComplete) {
      // A pool that confirms users itself (a pre sign-up trigger) needs no code.
      showResult(await auth.autoSignIn());
      return;
    }
    const { destination, deliveryMedium } = result.nextStep.codeDeliveryDetails;
    $('confirm-sign-up-prompt').textContent = `A confirmation code was sent by ${deliveryMedium?.toLowerCase() ?? 'message'} to ${destination}.`;
    showInbox('confirm-sign-up-inbox', username);
    $('confirm-sign-up-code').value = '';
    showView('confirm-sign-up', 'Enter the confirmation code.');
  });
});

$('confirm-sign-up-form').addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.submitter, async () => {
    const confirmed = await auth.confirmSignUp({
      username: $('sign-up-username').value.trim(),
      confirmationCode: $('confirm-sign-up-code').value.trim(),
    });
    if (confirmed.nextStep.signUpStep === 'COMPLETE_AUTO_SIGN_IN') {
      showResult(await auth.autoSignIn());
    } else {
      showView('sign-in', 'Your account is confirmed: sign in.');
    }
  });
});

$('resend-code').addEventListener('click', (event) => {
  busy(event.currentTarget, async () => {
    const { destination } = await auth.resendSignUpCode({ username: $('sign-up-username').value.trim() });
    $('status').textContent = `A new code was sent to ${destination}.`;
  });
});

// ---- Password reset: resetPassword sends a code, confirmResetPassword sets the new password.

$('show-reset').addEventListener('click', () => {
  hideError();
  $('reset-username').value = $('username').value;
  showView('reset-password', 'Which account?');
});

$('reset-password-form').addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.submitter, async () => {
    const username = $('reset-username').value.trim();
    const result = await useAuth().resetPassword({ username });
    // The pool answers the same way for unknown users, so as not to reveal who has an account.
    const { destination, deliveryMedium } = result.nextStep.codeDeliveryDetails;
    $('confirm-reset-prompt').textContent = `If ${username} has an account, a code was sent by ${deliveryMedium?.toLowerCase() ?? 'message'} to ${destination}.`;
    $('confirm-reset-username').value = username;
    showInbox('confirm-reset-inbox', username);
    $('confirm-reset-code').value = '';
    showView('confirm-reset', 'Enter the code and a new password.');
  });
});

$('confirm-reset-form').addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.submitter, async () => {
    const username = $('confirm-reset-username').value;
    await auth.confirmResetPassword({
      username,
      confirmationCode: $('confirm-reset-code').value.trim(),
      newPassword: $('confirm-reset-password').value,
    });
    $('confirm-reset-password').value = '';
    $('username').value = username;
    showView('sign-in', 'Your password was changed: sign in with the new one.');
  });
});

// The cancel buttons of the sign-up and reset views.
for (const button of document.querySelectorAll('button.back')) {
  button.addEventListener('click', () => {
    hideError();
    showView('sign-in', 'Ready.');
  });
}

/** Points the link `id` at the local endpoint's inbox of `username` (where it puts the codes it would send). */
function showInbox(id, username) {
  const { userPoolId, endpoint } = readSettings();
  const inbox = `${endpoint ?? ''}/inbox?${new URLSearchParams({ pool: userPoolId, username })}`;
  $(id).href = inbox;
  $(id).textContent = inbox;
}

// ---- What happens to the session, here or in another tab: onChange.

function onAuthChange({ event, tokens }) {
  if (event === 'signedIn') {
    refreshes = 0;
    $('refresh-status').textContent = 'The tokens are refreshed automatically a minute before they expire.';
    showSignedIn(tokens);
  } else if (event === 'tokenRefresh') {
    refreshes += 1;
    const times = refreshes === 1 ? 'once' : `${refreshes} times`;
    $('refresh-status').textContent = `The tokens were refreshed at ${new Date().toLocaleTimeString()} (${times} since the sign-in).`;
    showSignedIn(tokens);
  } else if (event === 'tokenRefreshFailure') {
    $('refresh-status').textContent = 'The tokens could not be refreshed.';
  } else if (event === 'signedOut') {
    clearInterval(countdownTimer);
    clearTimeout(refreshTimer);
    showView('sign-in', 'Signed out.');
  }
}

// ---- Signed in: who, the id token's claims, and when the tokens expire.

function showSignedIn(tokens) {
  const claims = tokens.idTokenClaims ?? {};
  $('who').textContent = claims['cognito:username'] ?? claims.email ?? 'unknown user';
  const rows = Object.entries(claims)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => {
      const row = document.createElement('tr');
      const th = Object.assign(document.createElement('th'), { scope: 'row', textContent: name });
      const td = Object.assign(document.createElement('td'), { textContent: showClaim(name, value) });
      row.append(th, td);
      return row;
    });
  $('claims').tBodies[0].replaceChildren(...rows);

  const expiresAt = tokens.expiresAt;
  $('expires-at').dateTime = expiresAt.toISOString();
  $('expires-at').textContent = expiresAt.toLocaleString();
  const tick = () => {
    $('countdown').textContent = countdown(expiresAt.getTime() - Date.now());
  };
  tick();
  clearInterval(countdownTimer);
  countdownTimer = setInterval(tick, 1000);
  // fetchSession refreshes tokens that expire within a minute: call it just
  // then. The new tokens come back through onChange (tokenRefresh), which
  // shows them and schedules the next refresh.
  clearTimeout(refreshTimer);
  const wait = Math.max(expiresAt.getTime() - Date.now() - 60_000, 0) + 1_000;
  refreshTimer = setTimeout(() => auth?.fetchSession().catch(showError), wait);
  showView('signed-in', 'Signed in.');
  showDevices();
  showCredentials(auth, readSettings().endpoint).catch(showError);
  showPasskeys(auth, busy).catch(showError);
}

// Registers a passkey: the browser asks to create it (a fingerprint, a face, a PIN).
$('add-passkey-button').addEventListener('click', (event) => {
  busy(event.currentTarget, async () => {
    await auth.associateWebAuthnCredential();
    rememberPasskeyUser(auth.tokens?.idTokenClaims?.['cognito:username']);
    await showPasskeys(auth, busy);
    $('status').textContent = 'The passkey was added.';
  });
});

$('refresh-button').addEventListener('click', (event) => {
  busy(event.currentTarget, () => auth.fetchSession({ forceRefresh: true }));
});

// ---- Devices: the user's devices (fetchDevices), remember this one, forget any.

/** Lists the devices, each with its remembered status and a Forget button. */
async function showDevices() {
  try {
    const devices = await auth.fetchDevices();
    const items = devices.map((device) => {
      const item = document.createElement('li');
      const status = device.attributes['dev:device_remembered_status'] === 'remembered' ? 'remembered' : 'not remembered';
      item.textContent = `${device.name ?? device.id} (${status}, last sign-in ${device.lastAuthenticatedDate?.toLocaleString() ?? 'unknown'}) `;
      const forget = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary', textContent: 'Forget' });
      forget.dataset.testid = 'forget-device-button';
      forget.addEventListener('click', () => busy(forget, () => auth.forgetDevice({ device }).then(showDevices)));
      item.append(forget);
      return item;
    });
    $('device-list').replaceChildren(...items);
  } catch (error) {
    showError(error);
  }
}

$('remember-device-button').addEventListener('click', (event) => {
  busy(event.currentTarget, async () => {
    await auth.rememberDevice(); // UpdateDeviceStatus: remembered
    await showDevices();
  });
});

/** Times (seconds since 1970) also as dates; other values as JSON. */
function showClaim(name, value) {
  if (['exp', 'iat', 'auth_time'].includes(name) && typeof value === 'number') {
    return `${value} (${new Date(value * 1000).toLocaleString()})`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "59:07", "1:00:00", or "expired". */
function countdown(ms) {
  if (ms <= 0) return 'expired';
  const total = Math.floor(ms / 1000);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const two = (n) => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

$('sign-out-button').addEventListener('click', (event) => {
  busy(event.currentTarget, async () => {
    clearInterval(countdownTimer);
    clearTimeout(refreshTimer);
    showView('sign-in', 'Signing out…');
    // The tokens are forgotten at once; the promise settles when the
    // refresh token is revoked (it rejects if that fails).
    await auth.signOut();
    $('status').textContent = 'Signed out.';
    armAutofill(); // once signOut is done with this CognitoAuth, which the autofill's replaces
  });
});

// ---- Page plumbing: views, busy buttons, the error box.

function showView(name, status) {
  $('status').textContent = status;
  const views = ['sign-in', 'new-password', 'challenge', 'signed-in', 'sign-up', 'confirm-sign-up', 'reset-password', 'confirm-reset'];
  for (const view of views) $(view).hidden = view !== name;
  $('settings-fields').disabled = name !== 'sign-in';
  $(`${name}-title`).focus();
}

/** Runs `action` with `button` disabled, showing any error next to the button's form. */
async function busy(button, action) {
  hideError();
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await action();
  } catch (error) {
    showError(error, button.closest('form') ?? button);
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/**
 * Shows `error` in the error box: right after `near` (the form the person
 * used, where they are looking, even on a scrolled page), else at the top of
 * the page (a failure no form caused: the module's load, a timed refresh).
 */
function showError(error, near) {
  const box = $('error');
  $('status').textContent = ''; // the error box says what happened
  $('error-name').textContent = error?.name ?? 'Error';
  $('error-message').textContent = error?.message ?? String(error);
  $('error-hint').textContent = HINTS[error?.name] ?? '';
  if (near) near.after(box);
  else $('status').after(box);
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
}

function hideError() {
  $('error').hidden = true;
}
