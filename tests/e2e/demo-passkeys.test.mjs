// The demo page's passkeys and passwordless steps, clicked through as a
// person would after `npm start` (demo.test.mjs's layout and seed), on
// http://localhost (the demo pool's relying party id) in headless Chromium
// with a virtual authenticator of the DevTools protocol: "Add a passkey", the
// passkey list with Delete, "Sign in with a passkey", the passkey offered in
// the username field (conditional UI), the MFA setup by email and its
// selection, RESET_PASSWORD and CONFIRM_SIGN_UP as sign-in steps, and a
// passwordless sign-up. Screenshots go to tests/e2e/.work/screenshots/
// (demo-passkey-*, demo-*-setup*, ...).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEndpoint } from './endpoint.mjs';
import { DEMO_SEED, addPasskeyAuthenticator, assertNoPageErrors, assertNoWasmTrap, launchChromium, openPage, readJson, screenshot, serveDemo } from './support.mjs';

const pool = readJson(DEMO_SEED).userPools[0];

let endpoint;
let site;
let browser;
let page;
let problems;
let cdp;
let authenticatorId;

const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
const text = async (id) => (await byTestId(id).textContent()).trim();
const waitVisible = (id) => byTestId(id).waitFor({ state: 'visible', timeout: 10_000 });
const presence = (enabled) => cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled });

async function signIn(username, password) {
  await byTestId('username').fill(username);
  await byTestId('password').fill(password);
  await byTestId('auth-flow').selectOption('USER_SRP_AUTH');
  await byTestId('sign-in-button').click();
}

async function stepShown(title) {
  await page.waitForFunction(
    (title) => !document.getElementById('challenge').hidden && document.getElementById('challenge-title').textContent === title,
    title,
    { timeout: 10_000 },
  );
}

async function inboxCode(username, purpose) {
  const response = await fetch(`${endpoint.url}/inbox?${new URLSearchParams({ pool: pool.id, username })}`);
  const message = (await response.json()).messages.filter((m) => m.purpose === purpose).at(-1);
  assert.ok(message, `a ${purpose} code for ${username}`);
  return message.code;
}

async function signedInAs(who) {
  await waitVisible('signed-in');
  assert.equal(await text('who'), who);
}

async function signOut() {
  await byTestId('sign-out-button').click();
  await waitVisible('sign-in');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'Signed out.');
}

before(async () => {
  endpoint = await startEndpoint(DEMO_SEED);
  site = await serveDemo();
  browser = await launchChromium();
  const context = await browser.newContext();
  // The demo's endpoint setting points at port 9229; this one is on a free port.
  await context.addInitScript((endpoint) => {
    localStorage.setItem('cognito-wasm-demo.settings', JSON.stringify({ endpoint }));
  }, endpoint.url);
  ({ page, problems } = await openPage(context, `${site.url.replace('127.0.0.1', 'localhost')}/`));
  ({ cdp, authenticatorId } = await addPasskeyAuthenticator(page));
  await page.waitForSelector('[data-testid="sign-in-button"]:not([disabled])', { timeout: 10_000 });
});

after(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.stop();
});

test('demo adds a passkey; the list shows it', async () => {
  assert.match(await text('passkey-hint'), /localhost/);
  await signIn('demo', 'Demo-Passw0rd!');
  await signedInAs('demo');
  await waitVisible('no-passkeys');
  await byTestId('add-passkey-button').click();
  await waitVisible('passkey');
  assert.equal(await byTestId('no-passkeys').isHidden(), true);
  assert.match(await text('passkey'), /platform authenticator, for localhost/);
  await screenshot(page, 'demo-passkey-added');
});

test('signed out, the username field offers the passkey (conditional UI); picking it signs in', async () => {
  await presence(false); // the request waits, as for a person who has not picked the passkey yet
  await signOut();
  await waitVisible('passkey-autofill-status');
  assert.equal(await byTestId('username').inputValue(), 'demo', 'the last passkey user is filled in');
  await screenshot(page, 'demo-passkey-autofill');
  // The autofill request is pending; the person picks the passkey: a new one with presence.
  await byTestId('username').dispatchEvent('change');
  await presence(true);
  await byTestId('username').focus();
  await signedInAs('demo');
});

test('"Sign in with a passkey" signs in with the passkey alone', async () => {
  await presence(false);
  await signOut();
  // The autofill request is pending first: one made after presence is back would be answered at once.
  await waitVisible('passkey-autofill-status');
  await presence(true);
  await byTestId('passkey-sign-in-button').click();
  await signedInAs('demo');
  await screenshot(page, 'demo-passkey-signed-in');
});

test('typing a password instead aborts the autofill request; the password signs in', async () => {
  await presence(false);
  await signOut();
  await waitVisible('passkey-autofill-status');
  await byTestId('password').fill('Demo-Passw0rd!');
  assert.equal(await byTestId('passkey-autofill-status').isHidden(), true);
  await byTestId('sign-in-button').click();
  await signedInAs('demo');
  await presence(true);
});

test('the passkey list deletes a passkey', async () => {
  await byTestId('delete-passkey-button').click();
  await waitVisible('no-passkeys');
  assert.equal(await byTestId('passkey').count(), 0);
  await screenshot(page, 'demo-passkey-deleted');
  await signOut();
});

test('emailsetup sets up codes by email: the address, then its code', async () => {
  await signIn('emailsetup', 'Demo-Passw0rd!');
  await stepShown('Set up codes by email');
  await screenshot(page, 'demo-email-setup');
  await byTestId('challenge-input').fill('em@example.com');
  await byTestId('challenge-button').click();
  await stepShown('Enter the email code');
  await byTestId('challenge-input').fill(await inboxCode('emailsetup', 'EMAIL_OTP'));
  await byTestId('challenge-button').click();
  await signedInAs('emailsetup');
  await signOut();
});

test('choosesetup chooses which second factor to set up', async () => {
  await signIn('choosesetup', 'Demo-Passw0rd!');
  await stepShown('Set up a second factor');
  const choices = await page.$$eval('[data-testid="mfa-choice"] option', (options) => options.map((o) => o.value));
  assert.deepEqual(choices, ['TOTP', 'EMAIL']);
  await screenshot(page, 'demo-mfa-setup-selection');
  await byTestId('mfa-choice').selectOption('EMAIL');
  await byTestId('challenge-button').click();
  await stepShown('Set up codes by email');
  await byTestId('challenge-cancel').click();
});

test('resetme is sent to the password reset (RESET_PASSWORD)', async () => {
  await signIn('resetme', 'Demo-Passw0rd!');
  await waitVisible('reset-password');
  assert.equal(await byTestId('reset-username').inputValue(), 'resetme');
  await screenshot(page, 'demo-reset-password-step');
  await byTestId('reset-cancel').click();
});

test('a passwordless sign-up: no password, the emailed code, then signed in (autoSignIn with the Session)', async () => {
  await byTestId('show-sign-up').click();
  await byTestId('sign-up-username').fill('nopass');
  await byTestId('sign-up-email').fill('nopass@example.com');
  await byTestId('sign-up-name').fill('No Pass');
  await screenshot(page, 'demo-passwordless-sign-up');
  await byTestId('sign-up-button').click();
  await waitVisible('confirm-sign-up');
  await byTestId('confirm-sign-up-code').fill(await inboxCode('nopass', 'SIGN_UP'));
  await byTestId('confirm-sign-up-button').click();
  await signedInAs('nopass');
  await signOut();
});

test('an unconfirmed account is sent to the confirmation (CONFIRM_SIGN_UP)', async () => {
  await byTestId('show-sign-up').click();
  await byTestId('sign-up-username').fill('later');
  await byTestId('sign-up-email').fill('later@example.com');
  await byTestId('sign-up-name').fill('Lat Er');
  await byTestId('sign-up-password').fill('Later-Passw0rd!');
  await byTestId('sign-up-button').click();
  await waitVisible('confirm-sign-up');
  await byTestId('confirm-sign-up-cancel').click();
  await signIn('later', 'Later-Passw0rd!');
  await waitVisible('confirm-sign-up');
  assert.match(await text('confirm-sign-up-prompt'), /not confirmed yet/);
  await screenshot(page, 'demo-confirm-sign-up-step');
  await byTestId('confirm-sign-up-code').fill(await inboxCode('later', 'SIGN_UP'));
  await byTestId('confirm-sign-up-button').click();
  await waitVisible('sign-in');
  await signIn('later', 'Later-Passw0rd!');
  await signedInAs('later');
});

test('the page never trapped or threw', () => {
  assertNoWasmTrap(problems);
  assertNoPageErrors(problems);
});
