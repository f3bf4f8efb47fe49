// A click-through of the demo page (www/) as a person would use it after
// `npm start`: the local endpoint with the demo seed, the page and the package
// served as scripts/start.mjs lays them out, headless Chromium. Screenshots go
// to tests/e2e/.work/screenshots/.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import jsQR from 'jsqr';
import { startEndpoint } from './endpoint.mjs';
import {
  DEMO_SEED,
  assertNoPageErrors,
  assertNoWasmTrap,
  launchChromium,
  openPage,
  readJson,
  screenshot,
  serveDemo,
} from './support.mjs';

const seed = readJson(DEMO_SEED);
const pool = seed.userPools[0];
const demo = pool.users.find((u) => u.username === 'demo');
const newbie = pool.users.find((u) => u.username === 'newbie');

let endpoint;
let site;
let seedDir; // the demo seed with the test site's address as a callback and sign-out URL
let browser;
let page;
let problems;

const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
const text = async (id) => (await byTestId(id).textContent()).trim();
const waitVisible = (id) => byTestId(id).waitFor({ state: 'visible', timeout: 10_000 });

/** Types the credentials into the sign-in form and submits it. */
async function signIn(username, password, authFlow = 'USER_SRP_AUTH') {
  await byTestId('username').fill(username);
  await byTestId('password').fill(password);
  await byTestId('auth-flow').selectOption(authFlow);
  await byTestId('sign-in-button').click();
}

/** The RFC 6238 code of a base32 secret now, as an authenticator app shows it. */
function totp(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secret].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000)));
  const mac = createHmac('sha1', Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)))).update(counter).digest();
  return String((mac.readUInt32BE(mac[19] & 0x0f) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The newest code the endpoint "sent" for `purpose`, read from the inbox the page links to. */
async function inboxCode(purpose, linkId = 'inbox-link') {
  const link = await byTestId(linkId).getAttribute('href');
  assert.equal(link, `${endpoint.url}/inbox?pool=${pool.id}&username=${new URL(link).searchParams.get('username')}`);
  const { messages } = await (await fetch(link)).json();
  const message = messages.filter((m) => m.purpose === purpose).at(-1);
  assert.ok(message, `the inbox has a ${purpose} code`);
  return message.code;
}

/** Waits for the challenge view to show the step titled `title`. */
async function stepShown(title) {
  await page.waitForFunction(
    (title) => !document.getElementById('challenge').hidden && document.getElementById('challenge-title').textContent === title,
    title,
    { timeout: 10_000 },
  );
}

/** Answers the challenge view's text field. */
async function answer(value) {
  await byTestId('challenge-input').fill(value);
  await byTestId('challenge-button').click();
}

async function signOutShown(who) {
  await waitVisible('signed-in');
  assert.equal(await text('who'), who);
  await byTestId('sign-out-button').click();
  await waitVisible('sign-in');
}

/** The claims table of the signed-in view, as { claim: shown value }. */
function claimsShown() {
  return page.$$eval('[data-testid="claims"] tbody tr', (rows) =>
    Object.fromEntries(rows.map((row) => [row.cells[0].textContent, row.cells[1].textContent])),
  );
}

before(async () => {
  site = await serveDemo();
  // Managed login comes back to the page, which listens on a free port here
  // rather than 8080: the app client lists its address too.
  const client = pool.clients[0];
  client.callbackUrls = [...client.callbackUrls, `${site.url}/`];
  client.logoutUrls = [...client.logoutUrls, `${site.url}/`];
  seedDir = await mkdtemp(join(tmpdir(), 'demo-seed-'));
  await writeFile(join(seedDir, 'seed.json'), JSON.stringify(seed));
  endpoint = await startEndpoint(join(seedDir, 'seed.json'));
  browser = await launchChromium();
  // A context of its own, so that a second tab of the page can share its localStorage.
  ({ page, problems } = await openPage(await browser.newContext(), `${site.url}/`));
  await page.waitForSelector('[data-testid="sign-in-button"]:not([disabled])', { timeout: 10_000 });
});

after(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.stop();
  if (seedDir) await rm(seedDir, { recursive: true, force: true });
});

test('the page loads the package and offers the demo settings, with the hints a person needs', async () => {
  assert.equal(await text('status'), 'Ready.');
  assert.equal(await byTestId('user-pool-id').inputValue(), pool.id);
  assert.equal(await byTestId('client-id').inputValue(), pool.clients[0].clientId);
  assert.equal(await byTestId('client-secret').inputValue(), '');
  assert.equal(await byTestId('endpoint').inputValue(), 'http://127.0.0.1:9229');
  assert.match(await text('secret-warning'), /secret in a browser is public/);
  assert.equal(await byTestId('username').inputValue(), '', 'the credentials are a hint, not pre-filled');
  assert.equal(await byTestId('password').inputValue(), '');
  const hint = await text('demo-hint');
  for (const credential of [demo.username, demo.password, newbie.username, newbie.password]) {
    assert.ok(hint.includes(credential), `the hint shows ${credential}`);
  }
  assert.equal(await byTestId('error').isVisible(), false);
  const unlabelled = await page.$$eval('input:not([hidden]), select', (fields) =>
    fields.filter((field) => field.labels.length === 0).map((field) => field.id),
  );
  assert.deepEqual(unlabelled, [], 'every visible field has a label');
  await screenshot(page, 'demo-start');

  // The test's endpoint listens on a free port rather than 9229: change the setting as a person would.
  assert.equal(await byTestId('oauth-domain').inputValue(), 'http://127.0.0.1:9229');
  await byTestId('endpoint').fill(endpoint.url);
  await byTestId('oauth-domain').fill(endpoint.url);
});

test('demo signs in with SRP, sees the claims and a live countdown, and signs out', async () => {
  await signIn(demo.username, demo.password);
  await waitVisible('signed-in');
  assert.equal(await text('who'), 'demo');
  assert.equal(await text('status'), 'Signed in.');
  assert.equal(await byTestId('sign-in').isVisible(), false);

  const claims = await claimsShown();
  assert.equal(claims['cognito:username'], 'demo');
  assert.equal(claims.email, demo.attributes.email);
  assert.equal(claims.aud, pool.clients[0].clientId);
  assert.equal(claims.token_use, 'id');

  const expiresAt = new Date(await byTestId('expires-at').getAttribute('datetime'));
  assert.ok(expiresAt.getTime() > Date.now() + 60_000, `expires at ${expiresAt.toISOString()}, in the future`);
  assert.ok((await text('expires-at')).length > 0, 'the expiry is shown');
  const first = await text('countdown');
  assert.match(first, /^(\d+:)?\d{1,2}:\d\d$/);
  await page.waitForFunction((shown) => document.getElementById('countdown').textContent !== shown, first, {
    timeout: 3_000,
  });
  await screenshot(page, 'demo-signed-in');

  await byTestId('sign-out-button').click();
  await waitVisible('sign-in');
  assert.equal(await byTestId('signed-in').isVisible(), false);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'Signed out.');
  assert.equal(await byTestId('error').isVisible(), false, 'the refresh token was revoked without an error');
});

test('demo shows the identity pool\'s identity and credential expiry, and uploads a file to the local bucket with them', async () => {
  await signIn(demo.username, demo.password);
  await waitVisible('aws');
  await page.waitForFunction(() => /^us-east-1:[0-9a-f-]{36}$/.test(document.getElementById('identity-id').textContent));
  const identityId = await text('identity-id');
  const expiry = new Date(await byTestId('credentials-expiry').getAttribute('datetime'));
  assert.ok(Math.abs(expiry.getTime() - (Date.now() + 3600_000)) < 60_000, `the credentials expire in an hour: ${expiry.toISOString()}`);
  const body = Buffer.from('a small file from the demo\n');
  await byTestId('upload-file').setInputFiles({ name: 'notes (1).txt', mimeType: 'text/plain', buffer: body });
  await byTestId('upload-button').click();
  await page.waitForFunction(() => /^(Uploaded|The upload failed)/.test(document.getElementById('upload-result').textContent), null, {
    timeout: 10_000,
  });
  assert.equal(
    await text('upload-result'),
    `Uploaded demo-bucket/private/${identityId}/notes__1_.txt (${body.length} bytes, ETag "${createHash('md5').update(body).digest('hex')}") and read back ${body.length} bytes.`,
  );
  await screenshot(page, 'demo-aws-credentials');
  await signOutShown('demo');
  assertNoPageErrors(problems);
});

test('demo signs in by email with USER_PASSWORD_AUTH', async () => {
  await signIn(demo.attributes.email, demo.password, 'USER_PASSWORD_AUTH');
  await waitVisible('signed-in');
  assert.equal(await text('who'), 'demo');
  await byTestId('sign-out-button').click();
  await waitVisible('sign-in');
});

test('a wrong password shows NotAuthorizedException in the error box, next to the form, on a scrolled page', async () => {
  // A short window, scrolled so that the sign-in button is at its bottom:
  // the top of the page, where the status line is, is out of sight.
  const size = page.viewportSize();
  await page.setViewportSize({ width: size.width, height: 600 });
  await byTestId('sign-in-button').evaluate((button) => button.scrollIntoView({ block: 'end' }));
  await signIn(demo.username, 'Wrong-Passw0rd!');
  await waitVisible('error');
  assert.equal(await text('error-name'), 'NotAuthorizedException');
  assert.ok((await text('error-message')).length > 0, 'the message is shown');
  assert.match(await text('error-hint'), /username and the password/);
  assert.equal(await byTestId('sign-in').isVisible(), true, 'the form stays for another try');
  const where = await byTestId('error').evaluate((box) => {
    const { top, bottom } = box.getBoundingClientRect();
    return { afterForm: box.previousElementSibling?.id, inView: top >= 0 && bottom <= innerHeight + 1, statusInView: document.getElementById('status').getBoundingClientRect().bottom > 0 };
  });
  assert.deepEqual(where, { afterForm: 'sign-in-form', inView: true, statusInView: false }, 'the error is right after the sign-in form, in the window');
  await screenshot(page, 'demo-error', { fullPage: false });
  await page.setViewportSize(size);
});

test('newbie chooses a new password and fills the missing name, then is signed in', async () => {
  await signIn(newbie.username, newbie.password);
  await waitVisible('new-password');
  assert.equal(await byTestId('error').isVisible(), false, 'the error box is cleared by the new attempt');
  assert.equal(await text('new-password-who'), 'newbie');
  for (const attribute of pool.requiredAttributes) {
    assert.equal(await page.locator('#missing-attributes label').filter({ hasText: attribute }).count(), 1);
    await byTestId(`attribute-${attribute}`).fill('Newbie Person');
  }
  await byTestId('new-password-input').fill('Newbie-Passw0rd!');
  await screenshot(page, 'demo-new-password');
  await byTestId('new-password-button').click();

  await waitVisible('signed-in');
  assert.equal(await text('who'), 'newbie');
  assert.equal((await claimsShown()).name, 'Newbie Person');
  await screenshot(page, 'demo-newbie-signed-in');
  await byTestId('sign-out-button').click();
  await waitVisible('sign-in');
});

test('sms: the code from the inbox the page links to; a wrong code shows CodeMismatchException', async () => {
  await signIn('sms', 'Demo-Passw0rd!');
  await waitVisible('challenge');
  assert.equal(await text('challenge-title'), 'Enter the SMS code');
  assert.match(await text('challenge-prompt'), /\+\*+0100/);
  const inbox = await byTestId('inbox-link').getAttribute('href');
  await answer('000000x');
  await waitVisible('error');
  assert.equal(await text('error-name'), 'CodeMismatchException');
  const { messages } = await (await fetch(inbox)).json();
  await screenshot(page, 'demo-sms-code');
  await answer(messages.at(-1).code);
  await signOutShown('sms');
});

test('sms remembers this browser, then signs in without the code; forgetting the device brings the code back', async () => {
  const code = async () => {
    await waitVisible('challenge');
    const inbox = await byTestId('inbox-link').getAttribute('href');
    const { messages } = await (await fetch(inbox)).json();
    await answer(messages.at(-1).code);
  };
  // The device (confirmed at the previous sign-in, in localStorage) is not remembered yet.
  await signIn('sms', 'Demo-Passw0rd!');
  await code();
  await waitVisible('signed-in');
  await page.waitForFunction(() => /not remembered/.test(document.getElementById('device-list').textContent));
  await byTestId('remember-device-button').click();
  await page.waitForFunction(() => /\(remembered/.test(document.getElementById('device-list').textContent));
  await screenshot(page, 'demo-devices');
  await byTestId('sign-out-button').click();
  await waitVisible('sign-in');

  await signIn('sms', 'Demo-Passw0rd!');
  await waitVisible('signed-in'); // no SMS step on the remembered device
  assert.equal(await text('who'), 'sms');
  await byTestId('forget-device-button').click();
  await page.waitForFunction(() => document.getElementById('device-list').children.length === 0);
  await byTestId('sign-out-button').click();
  await waitVisible('sign-in');
  await signIn('sms', 'Demo-Passw0rd!');
  await code(); // a new device: the code is asked again
  await signOutShown('sms');
});

test('choose picks TOTP, then enters the authenticator code; or EMAIL, then the emailed code', async () => {
  await signIn('choose', 'Demo-Passw0rd!');
  await stepShown('Choose a second factor');
  const offered = await page.$$eval('[data-testid="mfa-choice"] option', (options) => options.map((o) => o.value));
  assert.deepEqual(offered, ['SMS', 'TOTP', 'EMAIL']);
  await screenshot(page, 'demo-mfa-selection');
  await byTestId('mfa-choice').selectOption('TOTP');
  await byTestId('challenge-button').click();
  await stepShown('Enter the authenticator code');
  await screenshot(page, 'demo-totp-code');
  await answer(totp('JBSWY3DPEHPK3PXP'));
  await signOutShown('choose');

  await signIn('choose', 'Demo-Passw0rd!');
  await stepShown('Choose a second factor');
  await byTestId('mfa-choice').selectOption('EMAIL');
  await byTestId('challenge-button').click();
  await stepShown('Enter the email code');
  assert.match(await text('challenge-prompt'), /c\*\*\*@e\*\*\*\.com/);
  await screenshot(page, 'demo-email-code');
  await answer(await inboxCode('EMAIL_OTP'));
  await signOutShown('choose');
});

test('setup scans the QR code of the authenticator URI, and signs in with a code of the secret it holds', async () => {
  await signIn('setup', 'Demo-Passw0rd!');
  await waitVisible('totp-setup');
  const secret = await text('totp-secret');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const uri = `otpauth://totp/cognito-wasm%20demo:setup?secret=${secret}&issuer=cognito-wasm%20demo`;
  assert.equal(await text('totp-uri'), uri);
  await screenshot(page, 'demo-totp-setup');

  // What a phone's camera reads: the pixels of the QR code the page shows.
  const image = await page.evaluate(async () => {
    const img = document.getElementById('totp-qr');
    await img.decode();
    const canvas = Object.assign(document.createElement('canvas'), { width: img.naturalWidth, height: img.naturalHeight });
    const context = canvas.getContext('2d');
    context.drawImage(img, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    return { data: Array.from(data), width, height, shownWidth: img.getBoundingClientRect().width };
  });
  assert.ok(image.shownWidth >= 100, `the QR code is shown large enough to scan (${image.shownWidth} px)`);
  const scanned = jsQR(Uint8ClampedArray.from(image.data), image.width, image.height);
  assert.ok(scanned, 'the QR code decodes');
  assert.equal(scanned.data, uri, 'the QR code holds the otpauth:// URI');
  const scannedSecret = new URL(scanned.data).searchParams.get('secret');
  await answer(totp(scannedSecret));
  await signOutShown('setup');
});

test('passwordless chooses how to sign in (USER_AUTH): a code by email, by SMS, or the password', async () => {
  const choose = async (factor) => {
    await signIn('passwordless', '', 'USER_AUTH');
    await stepShown('Choose how to sign in');
    const offered = await page.$$eval('[data-testid="mfa-choice"] option', (options) => options.map((o) => o.value));
    assert.deepEqual(offered, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']);
    assert.equal(await page.locator('#mfa-choice-label').textContent(), 'Sign in with');
    await byTestId('mfa-choice').selectOption(factor);
  };
  assert.equal(await byTestId('password').isVisible(), true);
  await choose('EMAIL_OTP');
  await screenshot(page, 'demo-first-factor-selection');
  await byTestId('challenge-button').click();
  await stepShown('Enter the email code');
  assert.match(await text('challenge-prompt'), /p\*\*\*@e\*\*\*\.com/);
  await screenshot(page, 'demo-first-factor-email-code');
  await answer(await inboxCode('EMAIL_OTP'));
  await signOutShown('passwordless');

  await choose('SMS_OTP');
  await byTestId('challenge-button').click();
  await stepShown('Enter the SMS code');
  await answer(await inboxCode('SMS_OTP'));
  await signOutShown('passwordless');

  await choose('PASSWORD_SRP');
  await byTestId('challenge-button').click();
  await stepShown('Enter your password');
  assert.equal(await byTestId('challenge-input').getAttribute('type'), 'password');
  await screenshot(page, 'demo-password-step');
  await byTestId('challenge-input').fill('Demo-Passw0rd!');
  await byTestId('challenge-button').click();
  await signOutShown('passwordless');

  // With a password typed in, USER_AUTH prefers PASSWORD_SRP: no choice to make.
  await signIn('passwordless', 'Demo-Passw0rd!', 'USER_AUTH');
  await signOutShown('passwordless');
  await byTestId('auth-flow').selectOption('USER_SRP_AUTH');
});

test('riddle answers two custom challenges without a password', async () => {
  await byTestId('username').fill('riddle');
  await byTestId('password').fill('');
  await byTestId('auth-flow').selectOption('CUSTOM_WITHOUT_SRP');
  await byTestId('sign-in-button').click();
  for (let round = 0; round < 2; round += 1) {
    await page.waitForFunction(
      () => !document.getElementById('challenge').hidden && document.getElementById('challenge-input').value === '',
    );
    assert.equal(await text('challenge-prompt'), 'What has keys but opens no locks?');
    if (round === 0) await screenshot(page, 'demo-custom-challenge');
    await answer('a piano');
  }
  await signOutShown('riddle');
  await byTestId('auth-flow').selectOption('USER_SRP_AUTH');
});

test('sign-up: the form, the code from the inbox (a wrong one first), then signed in without the password again', async () => {
  await byTestId('show-sign-up').click();
  await waitVisible('sign-up');
  await byTestId('sign-up-username').fill('walker');
  await byTestId('sign-up-email').fill('walker@example.com');
  await byTestId('sign-up-name').fill('Walker Demo');
  await byTestId('sign-up-password').fill('Walker-Passw0rd!');
  await screenshot(page, 'demo-sign-up');
  await byTestId('sign-up-button').click();
  await waitVisible('confirm-sign-up');
  assert.equal(await text('confirm-sign-up-prompt'), 'A confirmation code was sent by email to w***@e***.');
  await byTestId('confirm-sign-up-code').fill('000000x');
  await byTestId('confirm-sign-up-button').click();
  await waitVisible('error');
  assert.equal(await text('error-name'), 'CodeMismatchException');
  await byTestId('resend-code').click();
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('A new code was sent'));
  const code = await inboxCode('SIGN_UP', 'confirm-sign-up-inbox');
  await byTestId('confirm-sign-up-code').fill(code);
  await screenshot(page, 'demo-confirm-sign-up');
  await byTestId('confirm-sign-up-button').click();
  await waitVisible('signed-in');
  assert.equal(await text('who'), 'walker');
  const claims = await claimsShown();
  assert.equal(claims.email, 'walker@example.com');
  assert.equal(claims.email_verified, 'true');
  assert.equal(claims.name, 'Walker Demo');
  await screenshot(page, 'demo-signed-up');
  await signOutShown('walker');
});

test('password reset: a code by email, a new password, then sign-in with it', async () => {
  await byTestId('username').fill('walker');
  await byTestId('show-reset').click();
  await waitVisible('reset-password');
  assert.equal(await byTestId('reset-username').inputValue(), 'walker');
  await byTestId('reset-button').click();
  await waitVisible('confirm-reset');
  assert.equal(await text('confirm-reset-prompt'), 'If walker has an account, a code was sent by email to w***@e***.');
  await byTestId('confirm-reset-code').fill(await inboxCode('FORGOT_PASSWORD', 'confirm-reset-inbox'));
  await byTestId('confirm-reset-password').fill('weak');
  await byTestId('confirm-reset-button').click();
  await waitVisible('error');
  assert.equal(await text('error-name'), 'InvalidPasswordException');
  await byTestId('confirm-reset-password').fill('Walker-N3w-Passw0rd!');
  await screenshot(page, 'demo-confirm-reset');
  await byTestId('confirm-reset-button').click();
  await waitVisible('sign-in');
  assert.equal(await text('status'), 'Your password was changed: sign in with the new one.');
  assert.equal(await byTestId('error').isVisible(), false);
  await signIn('walker', 'Walker-Passw0rd!');
  await waitVisible('error');
  assert.equal(await text('error-name'), 'NotAuthorizedException', 'the old password no longer works');
  await signIn('walker', 'Walker-N3w-Passw0rd!');
  await signOutShown('walker');
});

test('short-lived tokens (65 s) are refreshed automatically before they expire, and on demand', async () => {
  const shortClient = pool.clients.find((c) => c.accessTokenValiditySeconds === 65).clientId;
  assert.ok((await text('client-id-hint')).includes(shortClient), 'the settings name the client with short-lived tokens');
  await byTestId('client-id').fill(shortClient);
  await signIn(demo.username, demo.password);
  await waitVisible('signed-in');
  const expiry = async () => new Date(await byTestId('expires-at').getAttribute('datetime')).getTime();
  const first = await expiry();
  assert.ok(first - Date.now() <= 65_000 && first - Date.now() > 55_000, 'the tokens live 65 s');
  assert.match(await text('refresh-status'), /refreshed automatically a minute before they expire/);
  // Due a minute before expiry, so about 5 s after the sign-in.
  await page.waitForFunction(() => /refreshed at .* \(once since the sign-in\)/.test(document.getElementById('refresh-status').textContent), null, {
    timeout: 15_000,
  });
  const second = await expiry();
  assert.ok(second > first, 'the countdown runs to the new expiry');
  assert.match(await text('countdown'), /^(1:0\d|0:[5-9]\d)$/);
  await screenshot(page, 'demo-refreshed');
  await byTestId('refresh-button').click();
  await page.waitForFunction(() => /\(2 times since the sign-in\)/.test(document.getElementById('refresh-status').textContent));
  assert.equal(await byTestId('error').isVisible(), false);
  await signOutShown('demo');
  await byTestId('client-id').fill(pool.clients[0].clientId);
});

test('a reload keeps the session (localStorage), and a second tab of the page is signed in and out with it', async () => {
  await signIn(demo.username, demo.password);
  await waitVisible('signed-in');
  await page.reload();
  await waitVisible('signed-in');
  assert.equal(await text('who'), 'demo', 'the stored session was restored');
  const other = await page.context().newPage();
  other.on('pageerror', (error) => problems.pageErrors.push(`second tab: ${error.name}: ${error.message}`));
  await other.goto(page.url());
  await other.locator('[data-testid="signed-in"]').waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal((await other.locator('[data-testid="who"]').textContent()).trim(), 'demo');
  await screenshot(other, 'demo-second-tab');
  assert.equal(await byTestId('endpoint').inputValue(), endpoint.url, 'the page kept its settings too');
  await byTestId('sign-out-button').click();
  await waitVisible('sign-in');
  await other.locator('[data-testid="sign-in"]').waitFor({ state: 'visible', timeout: 5_000 });
  assert.equal((await other.locator('[data-testid="status"]').textContent()).trim(), 'Signed out.');
  await other.close();
});

/** Waits for the demo page to load again at its address (back from managed login), ready to use. */
async function backOnThePage(navigation) {
  await navigation;
  await page.waitForURL(`${site.url}/`);
  await page.waitForFunction(() => ['Ready.', 'Signed in.'].includes(document.getElementById('status').textContent));
}

const pageLoad = () => page.waitForRequest((request) => request.isNavigationRequest() && request.url().startsWith(`${site.url}/`));

test('managed login: Continue with ExampleIdP signs jane in (a federated user), and the sign-out goes through /logout', async () => {
  await waitVisible('sign-in');
  assert.match(await text('managed-login-hint'), /jane\s+with Jane-IdP-Passw0rd/);
  await screenshot(page, 'demo-oauth-1-sign-in-choices');
  await byTestId('idp-button').click();
  await page.waitForURL(`${endpoint.url}/idp/${pool.id}/ExampleIdP/authorize?**`);
  await page.fill('#idpUsername', 'jane');
  await page.fill('#idpPassword', 'Jane-IdP-Passw0rd');
  await screenshot(page, 'demo-oauth-2-exampleidp');
  const back = pageLoad();
  await page.click('#idpSignIn');
  await backOnThePage(back);
  await waitVisible('signed-in');
  const jane = pool.identityProviders[0].users.find((u) => u.username === 'jane');
  assert.equal(await text('who'), `ExampleIdP_${jane.sub}`);
  const claims = await claimsShown();
  assert.equal(claims.email, jane.claims.email);
  assert.match(claims.identities, /"providerName":"ExampleIdP"/);
  assert.equal(page.url(), `${site.url}/`, 'the code and state are gone from the address');
  await screenshot(page, 'demo-oauth-3-signed-in-with-exampleidp');
  const logout = page.waitForRequest((request) => request.url().startsWith(`${endpoint.url}/logout?`));
  const home = pageLoad();
  await byTestId('sign-out-button').click();
  const sent = new URL((await logout).url()).searchParams;
  assert.deepEqual(Object.fromEntries(sent), { client_id: pool.clients[0].clientId, logout_uri: `${site.url}/` });
  await backOnThePage(home);
  await waitVisible('sign-in');
  await screenshot(page, 'demo-oauth-4-signed-out-through-logout');
});

test('managed login: the hosted sign-in page signs demo in; a cancel at ExampleIdP shows OAuthCancelledError', async () => {
  await byTestId('hosted-button').click();
  await page.waitForURL(`${endpoint.url}/login?**`);
  await page.fill('#signInFormUsername', demo.username);
  await page.fill('#signInFormPassword', demo.password);
  await screenshot(page, 'demo-oauth-5-hosted-sign-in-page');
  const back = pageLoad();
  await page.click('#signInSubmitButton');
  await backOnThePage(back);
  await waitVisible('signed-in');
  assert.equal(await text('who'), 'demo');
  await screenshot(page, 'demo-oauth-6-signed-in-with-hosted-page');
  const home = pageLoad();
  await byTestId('sign-out-button').click();
  await backOnThePage(home);
  await waitVisible('sign-in');

  await byTestId('idp-button').click();
  await page.waitForURL(`${endpoint.url}/idp/${pool.id}/ExampleIdP/authorize?**`);
  const cancelled = pageLoad();
  await page.click('#idpCancel');
  await cancelled;
  await page.waitForURL(`${site.url}/`);
  await waitVisible('error');
  assert.equal(await text('error-name'), 'OAuthCancelledError');
  assert.match(await text('error-hint'), /cancelled/);
  assert.equal(page.url(), `${site.url}/`);
  await screenshot(page, 'demo-oauth-7-cancelled-at-exampleidp');
});

test('the page never trapped or threw', () => {
  assertNoWasmTrap(problems);
  assertNoPageErrors(problems);
});
