// The cognito-wasm demo: a plain ES module that uses only the package's
// public API, the way an app without a bundler would.
import init, { CognitoAuth } from 'cognito-wasm';

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
  ValidationError: 'Correct the settings or the form, then try again.',
  InvalidStateError: 'Start again by signing in.',
  InvalidServerResponse: 'Check that the endpoint is an Amazon Cognito user-pool API.',
  UnsupportedChallengeError: 'This demo cannot complete that sign-in step.',
  CodeMismatchException: 'Check the code and enter it again.',
  EnableSoftwareTokenMFAException: "Check the authenticator app's code and enter it again.",
};

/** The CognitoAuth of the current sign-in, made from the settings when it started. */
let auth = null;
let countdownTimer = 0;

// ---- Start: load the WebAssembly module once, then enable signing in.

init().then(
  () => {
    $('status').textContent = 'Ready.';
    $('sign-in-button').disabled = false;
  },
  (error) => {
    showError(error);
    $('status').textContent = 'The WebAssembly module could not be loaded.';
  },
);

// ---- Sign in: a new CognitoAuth from the current settings, then signIn.

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.submitter, async () => {
    $('status').textContent = 'Signing in…';
    auth?.free();
    auth = null;
    auth = new CognitoAuth(readSettings()); // throws a ValidationError on unusable settings
    const input = { username: $('username').value.trim(), authFlow: $('auth-flow').value };
    if ($('password').value) input.password = $('password').value;
    const result = await auth.signIn(input);
    $('password').value = '';
    showResult(result);
  });
});

/** The constructor options from the settings form; empty optional fields are left out. */
function readSettings() {
  const options = { userPoolId: $('user-pool-id').value.trim(), clientId: $('client-id').value.trim() };
  const clientSecret = $('client-secret').value.trim();
  if (clientSecret) options.clientSecret = clientSecret;
  const endpoint = $('endpoint').value.trim();
  if (endpoint) options.endpoint = endpoint;
  // The session and the remembered device's secret outlive the page (and
  // each new CognitoAuth the demo makes for a sign-in).
  options.storage = 'localStorage';
  return options;
}

$('settings-form').addEventListener('submit', (event) => event.preventDefault());

// CUSTOM_WITHOUT_SRP signs in without a password.
$('auth-flow').addEventListener('change', () => {
  $('password').required = $('auth-flow').value !== 'CUSTOM_WITHOUT_SRP';
});

// ---- The step signIn or confirmSignIn reports.

function showResult({ isSignedIn, nextStep }) {
  if (isSignedIn) {
    showSignedIn(auth.tokens);
  } else if (nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED') {
    showNewPassword(nextStep.missingAttributes);
  } else if (CHALLENGES[nextStep.signInStep]) {
    showChallenge(nextStep);
  } else {
    throw new Error(`This demo cannot show the sign-in step ${nextStep.signInStep}.`);
  }
}

// ---- The other steps: a code, an answer, a choice, or an authenticator app to set up.

const MFA_NAMES = { SMS: 'a code by SMS', EMAIL: 'a code by email', TOTP: 'an authenticator app' };

/** signInStep -> [title, prompt(nextStep), label of the answer]. */
const CHALLENGES = {
  CONFIRM_SIGN_IN_WITH_SMS_CODE: ['Enter the SMS code', (s) => `A code was sent by SMS to ${s.codeDeliveryDetails.destination}.`, 'Code'],
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: ['Enter the email code', (s) => `A code was sent by email to ${s.codeDeliveryDetails.destination}.`, 'Code'],
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: ['Enter the authenticator code', () => 'Enter the six-digit code your authenticator app shows.', 'Code'],
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: ['Choose a second factor', () => 'How do you want to prove it is you?', null],
  CONTINUE_SIGN_IN_WITH_TOTP_SETUP: [
    'Set up an authenticator app',
    () => 'This account needs a second factor. Add the secret below to an authenticator app (or scan the URI as a QR code), then enter the code it shows.',
    'Code',
  ],
  CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE: ['Answer the challenge', (s) => s.additionalInfo.question ?? 'Answer the challenge.', 'Answer'],
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
  if (choosing) {
    const options = nextStep.allowedMFATypes.map((type) =>
      Object.assign(document.createElement('option'), { value: type, textContent: MFA_NAMES[type] ?? type }),
    );
    $('mfa-choice').replaceChildren(...options);
  }
  const setup = nextStep.totpSetupDetails;
  $('totp-setup').hidden = !setup;
  if (setup) {
    $('totp-secret').textContent = setup.sharedSecret;
    $('totp-uri').textContent = setup.getSetupUri('cognito-wasm demo').href;
  }
  const delivered = Boolean(nextStep.codeDeliveryDetails);
  $('inbox-hint').hidden = !delivered;
  if (delivered) {
    const { userPoolId, endpoint } = readSettings();
    const query = new URLSearchParams({ pool: userPoolId, username: $('username').value.trim() });
    const inbox = `${endpoint ?? ''}/inbox?${query}`;
    $('inbox-link').href = inbox;
    $('inbox-link').textContent = inbox;
  }
  showView('challenge', title);
}

$('challenge-form').addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.submitter, async () => {
    const choosing = !$('mfa-choice-field').hidden;
    const challengeResponse = choosing ? $('mfa-choice').value : $('challenge-input').value.trim();
    const result = await auth.confirmSignIn({ challengeResponse });
    $('challenge-input').value = '';
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
  showView('signed-in', 'Signed in.');
  showDevices();
}

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
    showView('sign-in', 'Signing out…');
    // The tokens are forgotten at once; the promise settles when the
    // refresh token is revoked (it rejects if that fails).
    await auth.signOut();
    $('status').textContent = 'Signed out.';
  });
});

// ---- Page plumbing: views, busy buttons, the error box.

function showView(name, status) {
  $('status').textContent = status;
  for (const view of ['sign-in', 'new-password', 'challenge', 'signed-in']) $(view).hidden = view !== name;
  $('settings-fields').disabled = name !== 'sign-in';
  $(`${name}-title`).focus();
}

/** Runs `action` with `button` disabled, showing any error. */
async function busy(button, action) {
  hideError();
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await action();
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

function showError(error) {
  $('status').textContent = ''; // the error box says what happened
  $('error-name').textContent = error?.name ?? 'Error';
  $('error-message').textContent = error?.message ?? String(error);
  $('error-hint').textContent = HINTS[error?.name] ?? '';
  $('error').hidden = false;
}

function hideError() {
  $('error').hidden = true;
}
