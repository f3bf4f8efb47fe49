// The demo's passkeys: "Sign in with a passkey", passkey autofill in the
// username field (conditional UI), and the signed-in user's passkeys (add,
// list, delete). Passkeys need a page on https, or http on localhost: the
// demo pool's relying party id is `localhost`, so open
// http://localhost:8080/ (not 127.0.0.1).

const $ = (id) => document.getElementById(id);

// The user who last used a passkey here, kept by this page (not the
// package), so that the next visit can offer that passkey in autofill.
const PASSKEY_USER_KEY = 'cognito-wasm-demo.passkeyUser';

/** Remembers `username` as this browser's passkey user. */
export function rememberPasskeyUser(username) {
  if (username) localStorage.setItem(PASSKEY_USER_KEY, username);
}

/** The sign-in that signs in with a passkey: USER_AUTH preferring WEB_AUTHN. */
export const passkeySignIn = (username) => ({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } });

/** The pending conditional request's AbortController. */
let autofill = null;
/** Counts the stops, so that an autofill that was stopped while starting does not start. */
let stops = 0;

/**
 * Passkey autofill: a conditional passkey sign-in (mediation 'conditional')
 * for the username in the field, or else the passkey user remembered here
 * (then filled in). Cognito issues a passkey challenge only for a named user,
 * so the request waits for that user's passkey: the browser offers it in the
 * autofill of the fields marked `webauthn` (the username, the password), and
 * picking it signs in. `auth()` makes the CognitoAuth to use; `done(result)`
 * gets a sign-in that picked the passkey, `failed(error)` one that failed
 * (an expired challenge: NotAuthorizedException). Nothing is shown when the
 * user has no passkey (the pool then asks for a choice), when there is
 * nothing to offer (no WebAuthn, an app client without USER_AUTH), or when
 * the request is aborted; one that timed out unanswered is made again.
 */
export async function armPasskeyAutofill(auth, done, failed) {
  stopPasskeyAutofill();
  const stopped = stops;
  const remembered = localStorage.getItem(PASSKEY_USER_KEY);
  const username = $('username').value.trim() || remembered;
  if (!username || !remembered || !(await globalThis.PublicKeyCredential?.isConditionalMediationAvailable?.())) return;
  // Another sign-in started meanwhile: its CognitoAuth stays.
  if (stopped !== stops) return;
  if (!$('username').value.trim()) $('username').value = username;
  const controller = new AbortController();
  autofill = controller;
  $('passkey-autofill-status').hidden = false;
  const started = Date.now();
  try {
    const result = await auth().signIn({ ...passkeySignIn(username), mediation: 'conditional', signal: controller.signal });
    if (result.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION') done(result);
  } catch (error) {
    if (autofill !== controller || QUIET.includes(error.name)) return;
    // Unanswered until the challenge's timeout: a new request, with a new challenge.
    if (error.name === 'PasskeyAuthenticationCanceled' && Date.now() - started > 60_000) {
      setTimeout(() => armPasskeyAutofill(auth, done, failed));
      return;
    }
    failed(error);
  } finally {
    if (autofill === controller) stopPasskeyAutofill();
  }
}

/** The failures of an autofill request that are not the person's business. */
const QUIET = ['PasskeyOperationAborted', 'PasskeyNotSupported', 'InvalidParameterException'];

/** Aborts the pending autofill request: the user signs in another way. */
export function stopPasskeyAutofill() {
  stops += 1;
  autofill?.abort();
  autofill = null;
  $('passkey-autofill-status').hidden = true;
}

/** Lists the signed-in user's passkeys, each with a Delete button (run by `busy`, which shows errors). */
export async function showPasskeys(auth, busy) {
  const { credentials } = await auth.listWebAuthnCredentials();
  const items = credentials.map((credential) => {
    const item = document.createElement('li');
    item.dataset.testid = 'passkey';
    item.textContent = `${credential.friendlyCredentialName ?? 'Passkey'} (${credential.authenticatorAttachment ?? 'any'} authenticator, for ${credential.relyingPartyId}, added ${credential.createdAt?.toLocaleString() ?? 'at an unknown time'}) `;
    const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary', textContent: 'Delete' });
    remove.dataset.testid = 'delete-passkey-button';
    // The authenticator keeps its copy; the user pool no longer accepts it.
    remove.addEventListener('click', () =>
      busy(remove, async () => {
        await auth.deleteWebAuthnCredential({ credentialId: credential.credentialId });
        await showPasskeys(auth, busy);
      }),
    );
    item.append(remove);
    return item;
  });
  $('passkey-list').replaceChildren(...items);
  $('no-passkeys').hidden = credentials.length > 0;
}
