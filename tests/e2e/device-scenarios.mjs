// The remembered-device scenarios (scenarios.mjs runs them with the others,
// in Node and in headless Chromium). Plain ES, no Node APIs. The pools are
// us-east-1_DevicePool (devices remembered at confirmation) and
// us-east-1_PromptDevices (remembered only on rememberDevice) of
// tests/e2e/seed-signin.json.

const DEVICE = 'deviceclient00000000000000';
const DEVICE_SECRET = 'devicesecret00000000000000';
const PROMPT = 'promptclient00000000000000';
const USER_AUTH = 'deviceuserauth000000000000'; // ALLOW_USER_AUTH; first factors PASSWORD and EMAIL_OTP
const PASSWORD = 'Device-Passw0rd!';

/** A storage the scenario can read and corrupt ({ getItem, setItem, removeItem } over a Map). */
function mapStorage() {
  const items = new Map();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}

const deviceKeyOf = (clientId, login) => `cognito-wasm.${clientId}.${login}.device`;

/**
 * Runs `action` with fetch wrapped, and returns the requests it sent as
 * `Operation` or `RespondToAuthChallenge:<ChallengeName>`, with their bodies.
 * A new device's confirmation goes on after the sign-in's result, and the
 * calls that use devices wait for it: with `auth`, the record ends with
 * `auth.fetchDevices()` once signed in, so that it holds the ConfirmDevice
 * (that ListDevices is left out).
 */
async function record(action, auth) {
  const real = globalThis.fetch;
  const seen = [];
  globalThis.fetch = (url, init) => {
    const operation = String(init?.headers?.['X-Amz-Target'] ?? '').split('.').pop();
    if (operation) {
      const body = JSON.parse(init.body);
      seen.push({ step: body.ChallengeName ? `${operation}:${body.ChallengeName}` : operation, body });
    }
    return real(url, init);
  };
  try {
    await action();
    if (auth?.tokens) {
      await auth.fetchDevices();
      if (seen.pop()?.step !== 'ListDevices') throw new Error('fetchDevices did not wait for the device confirmation');
    }
  } finally {
    globalThis.fetch = real;
  }
  return seen;
}
const steps = (seen) => seen.map((s) => s.step);

const NEW_DEVICE_SRP = ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice'];
const DEVICE_SRP = [
  'InitiateAuth',
  'RespondToAuthChallenge:PASSWORD_VERIFIER',
  'RespondToAuthChallenge:DEVICE_SRP_AUTH',
  'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
];

function storedDevice(kit, storage, clientId, login) {
  const text = storage.getItem(deviceKeyOf(clientId, login));
  kit.ok(typeof text === 'string', `a device is stored for ${login}`);
  const device = JSON.parse(text);
  kit.ok(/^us-east-1_[0-9a-f-]{36}$/.test(device.deviceKey), `deviceKey ${device.deviceKey}`);
  kit.ok(device.deviceGroupKey.startsWith('-'), `deviceGroupKey ${device.deviceGroupKey}`);
  kit.equal(device.randomPassword.length, 56, 'randomPassword is base64 of 40 bytes');
  return device;
}

/** signIn to DONE, recording the requests. */
async function signInRecorded(kit, auth, input) {
  let tokens;
  const seen = await record(async () => {
    tokens = await kit.signsIn(auth, input);
  }, auth);
  return { seen, tokens };
}

/** signIn through the SMS_MFA step (code from the inbox), recording the requests. */
async function signInWithSms(kit, auth, poolId, username) {
  return record(async () => {
    const first = await auth.signIn({ username, password: PASSWORD });
    kit.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE', `${username}: the SMS step`);
    const code = await kit.latestCode(poolId, username, 'SMS_MFA');
    const done = await auth.confirmSignIn({ challengeResponse: code });
    kit.sameJson(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, `${username}: confirmSignIn`);
  }, auth);
}

/** USER_AUTH with the EMAIL_OTP first factor (preferred, or chosen), through the code step, recorded. */
async function signInWithEmailCode(kit, auth, username, { choose = false } = {}) {
  return record(async () => {
    let step = await auth.signIn({ username, authFlow: 'USER_AUTH', preferredChallenge: choose ? undefined : 'EMAIL_OTP' });
    if (choose) {
      kit.equal(step.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', `${username}: the choice`);
      step = await auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    }
    kit.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', `${username}: the email code step`);
    const code = await kit.latestCode('us-east-1_DevicePool', username, 'EMAIL_OTP');
    const done = await auth.confirmSignIn({ challengeResponse: code });
    kit.sameJson(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, `${username}: the code signs in`);
  }, auth);
}

const DEVICE_PROOF = ['RespondToAuthChallenge:DEVICE_SRP_AUTH', 'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER'];

export const deviceScenarios = [
  {
    name: 'remembered device: after ConfirmDevice, the next sign-ins prove the device with DEVICE_SRP_AUTH',
    async run(kit) {
      const storage = mapStorage();
      const auth = kit.auth(DEVICE, { storage });
      await auth.ready;
      const username = 'devtwice';
      const first = await signInRecorded(kit, auth, { username, password: PASSWORD });
      kit.sameJson(steps(first.seen), NEW_DEVICE_SRP, 'first sign-in: a new device is confirmed');
      const device = storedDevice(kit, storage, DEVICE, username);
      const confirm = first.seen[2].body;
      kit.equal(confirm.DeviceKey, device.deviceKey, 'ConfirmDevice DeviceKey');
      kit.equal(confirm.AccessToken, first.tokens.accessToken, 'ConfirmDevice AccessToken');
      kit.ok(confirm.DeviceSecretVerifierConfig.PasswordVerifier.length > 500, 'PasswordVerifier is base64 of a 3072-bit number');
      kit.ok(typeof confirm.DeviceName === 'string' && confirm.DeviceName, 'DeviceName');

      for (const authFlow of ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'USER_SRP_AUTH']) {
        await auth.signOut();
        const again = await signInRecorded(kit, auth, { username, password: PASSWORD, authFlow });
        const expected = authFlow === 'USER_SRP_AUTH' ? DEVICE_SRP : ['InitiateAuth', ...DEVICE_SRP.slice(2)];
        kit.sameJson(steps(again.seen), expected, `${authFlow}: the device proves itself, nothing is confirmed`);
        const named = authFlow === 'USER_SRP_AUTH' ? again.seen[1].body.ChallengeResponses : again.seen[0].body.AuthParameters;
        kit.equal(named.DEVICE_KEY, device.deviceKey, `${authFlow}: DEVICE_KEY with the password proof`);
        const claim = again.seen.at(-1).body.ChallengeResponses;
        kit.equal(claim.DEVICE_KEY, device.deviceKey, 'DEVICE_PASSWORD_VERIFIER DEVICE_KEY');
        kit.equal(storage.getItem(deviceKeyOf(DEVICE, username)), JSON.stringify(device), 'the stored device stays');
      }

      const devices = await auth.fetchDevices();
      kit.equal(devices.length, 1, 'fetchDevices: one device');
      const [listed] = devices;
      kit.equal(listed.id, device.deviceKey, 'device id');
      kit.equal(listed.name, confirm.DeviceName, 'device name');
      kit.equal(listed.attributes.device_name, confirm.DeviceName, 'attributes.device_name');
      kit.equal(listed.attributes['dev:device_remembered_status'], 'remembered', 'remembered at confirmation');
      for (const field of ['createDate', 'lastAuthenticatedDate', 'lastModifiedDate']) {
        kit.ok(listed[field] instanceof Date && Math.abs(listed[field] - Date.now()) < 600_000, `${field} is a recent Date`);
      }

      // The refresh names the device.
      const refresh = await record(() => auth.fetchSession({ forceRefresh: true }));
      kit.sameJson(steps(refresh), ['GetTokensFromRefreshToken'], 'the refresh');
      kit.equal(refresh[0].body.DeviceKey, device.deviceKey, 'GetTokensFromRefreshToken DeviceKey');
    },
  },
  {
    name: 'remembered device: signIn resolves before ConfirmDevice is answered, and the device calls wait for it; a failed or signed-out confirmation leaves no device',
    async run(kit) {
      const storage = mapStorage();
      const auth = kit.auth(DEVICE, { storage });
      const username = 'devlater';
      const stored = () => storage.getItem(deviceKeyOf(DEVICE, username));
      // ConfirmDevice held until released, or failing as a lost connection does.
      const real = globalThis.fetch;
      let hold = null;
      let confirmations = 0;
      globalThis.fetch = (url, init) => {
        if (!String(init?.headers?.['X-Amz-Target']).endsWith('.ConfirmDevice')) return real(url, init);
        confirmations++;
        return hold ? hold.then(() => real(url, init)) : Promise.reject(new TypeError('Failed to fetch'));
      };
      const held = () => {
        let release;
        hold = new Promise((resolve) => (release = resolve));
        return release;
      };
      let device;
      try {
        let release = held();
        await kit.signsIn(auth, { username, password: PASSWORD });
        kit.equal(stored(), null, 'signed in while ConfirmDevice waits: no device stored yet');
        const listing = auth.fetchDevices();
        for (const start = Date.now(); confirmations === 0 && Date.now() - start < 5_000; ) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        kit.equal(confirmations, 1, 'ConfirmDevice was sent after the result');
        release();
        const listed = await listing;
        device = storedDevice(kit, storage, DEVICE, username);
        kit.sameJson(listed.map((d) => d.id), [device.deviceKey], 'fetchDevices waited for the confirmation');

        // Signed out while ConfirmDevice waits: the device is not stored.
        storage.removeItem(deviceKeyOf(DEVICE, username));
        await auth.signOut();
        release = held();
        await kit.signsIn(auth, { username, password: PASSWORD });
        await auth.signOut();
        release();
        // A device call (refused: signed out) ends once the confirmation has.
        await kit.rejects(() => auth.fetchDevices(), 'InvalidStateError', 'fetchDevices signed out');
        kit.equal(stored(), null, 'no device after a sign-out during its confirmation');

        // A ConfirmDevice that fails: the sign-in stands, without a device.
        hold = null;
        const before = confirmations;
        await kit.signsIn(auth, { username, password: PASSWORD });
        await auth.fetchDevices();
        kit.equal(confirmations - before, 3, 'ConfirmDevice tried maxAttempts times');
        kit.ok(auth.tokens, 'a failed ConfirmDevice leaves the sign-in standing');
        kit.equal(stored(), null, 'and no device stored');
      } finally {
        globalThis.fetch = real;
      }
      await auth.signOut();
      const again = await signInRecorded(kit, auth, { username, password: PASSWORD });
      kit.sameJson(steps(again.seen), NEW_DEVICE_SRP, 'the next sign-in confirms a new device');
      kit.ok(storedDevice(kit, storage, DEVICE, username).deviceKey !== device?.deviceKey, 'a new device is stored');
    },
  },
  {
    name: 'remembered device: a wrong device secret only fails on the second sign-in',
    async run(kit) {
      const storage = mapStorage();
      const auth = kit.auth(DEVICE, { storage });
      const username = 'devwrong';
      await signInRecorded(kit, auth, { username, password: PASSWORD });
      const device = storedDevice(kit, storage, DEVICE, username);
      // Another 40-byte secret: ConfirmDevice registered the verifier of the first.
      const wrong = { ...device, randomPassword: `${device.randomPassword.slice(4)}AAAA` };
      storage.setItem(deviceKeyOf(DEVICE, username), JSON.stringify(wrong));
      await auth.signOut();
      const error = await kit.rejects(
        () => auth.signIn({ username, password: PASSWORD }),
        'NotAuthorizedException',
        'the second sign-in with a wrong device secret',
      );
      kit.ok(!error.message.includes(wrong.randomPassword), 'the message does not leak the device secret');
      kit.equal(auth.tokens, null, 'no tokens after the refused device');
      // With the right secret again, the device signs in.
      storage.setItem(deviceKeyOf(DEVICE, username), JSON.stringify(device));
      const again = await signInRecorded(kit, auth, { username, password: PASSWORD });
      kit.sameJson(steps(again.seen), DEVICE_SRP, 'the right secret signs in with the device');
    },
  },
  {
    name: 'remembered device: a device the service forgot is dropped, the sign-in retried once without it and a new device confirmed',
    async run(kit) {
      const storage = mapStorage();
      const auth = kit.auth(DEVICE, { storage });
      const username = 'devstale';
      for (const authFlow of ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH']) {
        const first = await signInRecorded(kit, auth, { username, password: PASSWORD, authFlow });
        const device = storedDevice(kit, storage, DEVICE, username);
        // Forgotten server side, behind this client's back.
        const forgot = await kit.call('ForgetDevice', { AccessToken: first.tokens.accessToken, DeviceKey: device.deviceKey });
        kit.equal(forgot.error, undefined, `ForgetDevice by hand (${forgot.message})`);
        await auth.signOut();
        const again = await signInRecorded(kit, auth, { username, password: PASSWORD, authFlow });
        const expected =
          authFlow === 'USER_SRP_AUTH'
            ? ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']
            : ['InitiateAuth', 'InitiateAuth', 'ConfirmDevice'];
        kit.sameJson(steps(again.seen), expected, `${authFlow}: refused with the stale device, retried without it`);
        const [withDevice, without] = again.seen.slice(-3, -1).map((s) => s.body.ChallengeResponses ?? s.body.AuthParameters);
        kit.equal(withDevice.DEVICE_KEY, device.deviceKey, 'the first try names the stale device');
        kit.equal(without.DEVICE_KEY, undefined, 'the retry names no device');
        const renewed = storedDevice(kit, storage, DEVICE, username);
        kit.ok(renewed.deviceKey !== device.deviceKey, 'a new device is stored');
      }
    },
  },
  {
    name: 'rememberDevice, fetchDevices and forgetDevice; a remembered device skips MFA, a not remembered one does not',
    async run(kit) {
      const poolId = 'us-east-1_PromptDevices';
      const storage = mapStorage();
      const auth = kit.auth(PROMPT, { storage });
      const username = 'devmanage';
      await kit.rejects(() => auth.rememberDevice(), 'InvalidStateError', 'rememberDevice signed out');
      await kit.rejects(() => auth.fetchDevices(), 'InvalidStateError', 'fetchDevices signed out');
      const first = await signInWithSms(kit, auth, poolId, username);
      kit.equal(steps(first).at(-1), 'ConfirmDevice', 'the device is confirmed after the MFA step');
      const device = storedDevice(kit, storage, PROMPT, username);
      let [listed] = await auth.fetchDevices();
      kit.equal(listed.id, device.deviceKey, 'fetchDevices lists the device');
      kit.equal(listed.attributes['dev:device_remembered_status'], 'not_remembered', 'not remembered until the user says so');

      await auth.signOut();
      const notRemembered = await signInWithSms(kit, auth, poolId, username);
      kit.sameJson(
        steps(notRemembered),
        [...DEVICE_SRP, 'RespondToAuthChallenge:SMS_MFA'],
        'a device that is not remembered still gets MFA',
      );

      await auth.rememberDevice();
      [listed] = await auth.fetchDevices();
      kit.equal(listed.attributes['dev:device_remembered_status'], 'remembered', 'rememberDevice remembers it');
      await auth.signOut();
      const remembered = await signInRecorded(kit, auth, { username, password: PASSWORD });
      kit.sameJson(steps(remembered.seen), DEVICE_SRP, 'a remembered device skips MFA');

      // forgetDevice({ device }) of another id leaves this one stored.
      await kit.rejects(
        () => auth.forgetDevice({ device: { id: 'us-east-1_00000000-0000-4000-8000-000000000000' } }),
        'ResourceNotFoundException',
        'forgetDevice of an unknown id',
      );
      kit.ok(storage.getItem(deviceKeyOf(PROMPT, username)), 'the device stays stored');
      await auth.forgetDevice();
      kit.sameJson(await auth.fetchDevices(), [], 'fetchDevices after forgetDevice');
      kit.equal(storage.getItem(deviceKeyOf(PROMPT, username)), null, 'forgetDevice removes the stored device');
      await kit.rejects(() => auth.forgetDevice(), 'InvalidStateError', 'forgetDevice with no device');
      await kit.rejects(() => auth.forgetDevice({ device: 'x' }), 'ValidationError', 'forgetDevice({ device: "x" })');
      await auth.signOut();
      const fresh = await signInWithSms(kit, auth, poolId, username);
      kit.equal(steps(fresh).at(-1), 'ConfirmDevice', 'after forgetDevice the next sign-in confirms a new device');
    },
  },
  {
    name: 'remembered device: an MFA user signs in without the code on the device remembered at confirmation',
    async run(kit) {
      const auth = kit.auth(DEVICE); // memory storage: the device lives as long as the instance
      const first = await signInWithSms(kit, auth, 'us-east-1_DevicePool', 'devmfa');
      kit.equal(steps(first).at(-1), 'ConfirmDevice', 'the device is confirmed after the MFA step');
      await auth.signOut();
      const second = await signInRecorded(kit, auth, { username: 'devmfa', password: PASSWORD });
      kit.sameJson(steps(second.seen), DEVICE_SRP, 'no SMS step on the remembered device');
    },
  },
  {
    name: 'remembered device: the secrets live in the chosen storage, so a new instance signs in with the device',
    async run(kit) {
      const username = 'devstore';
      const storage = globalThis.localStorage ? 'localStorage' : mapStorage();
      const store = globalThis.localStorage ?? storage;
      store.removeItem(deviceKeyOf(DEVICE, username));
      const first = kit.auth(DEVICE, { storage });
      await first.ready;
      await signInRecorded(kit, first, { username, password: PASSWORD });
      const device = storedDevice(kit, store, DEVICE, username);
      await first.signOut();
      kit.ok(store.getItem(deviceKeyOf(DEVICE, username)), 'the device outlives signOut');

      const second = kit.auth(DEVICE, { storage });
      await second.ready;
      const again = await signInRecorded(kit, second, { username, password: PASSWORD });
      kit.sameJson(steps(again.seen), DEVICE_SRP, 'a new instance over the same storage uses the device');
      kit.equal(again.seen[1].body.ChallengeResponses.DEVICE_KEY, device.deviceKey, 'DEVICE_KEY from storage');

      // Restored with the session: the device is known to the restored instance.
      const third = kit.auth(DEVICE, { storage });
      await third.ready;
      kit.ok(third.tokens, 'the session is restored');
      const [listed] = await third.fetchDevices();
      kit.equal(listed.id, device.deviceKey, 'fetchDevices on the restored instance');
      await third.rememberDevice();

      // Without storage, a new instance knows no device and confirms another.
      const memory = kit.auth(DEVICE);
      const fresh = await signInRecorded(kit, memory, { username, password: PASSWORD });
      kit.sameJson(steps(fresh.seen), NEW_DEVICE_SRP, 'memory storage: a new device');
      await third.signOut();
      store.removeItem(deviceKeyOf(DEVICE, username));
    },
  },
  {
    name: 'remembered device: an app client with a secret sends SECRET_HASH on the device rounds',
    async run(kit) {
      const storage = mapStorage();
      const auth = kit.auth(DEVICE_SECRET, { storage });
      await signInRecorded(kit, auth, { username: 'devsecret', password: PASSWORD });
      await auth.signOut();
      const again = await signInRecorded(kit, auth, { username: 'devsecret', password: PASSWORD });
      kit.sameJson(steps(again.seen), DEVICE_SRP, 'the device rounds');
      for (const { body } of again.seen.slice(2)) {
        kit.ok(body.ChallengeResponses.SECRET_HASH, `${body.ChallengeName} carries SECRET_HASH`);
      }
    },
  },
  {
    name: 'USER_AUTH with EMAIL_OTP: the first sign-in confirms the device, the next ones name it and it proves itself after the code',
    async run(kit) {
      const storage = mapStorage();
      const auth = kit.auth(USER_AUTH, { storage });
      const username = 'devotp';
      const first = await signInWithEmailCode(kit, auth, username);
      kit.sameJson(steps(first), ['InitiateAuth', 'RespondToAuthChallenge:EMAIL_OTP', 'ConfirmDevice'], 'first sign-in: a new device is confirmed');
      kit.equal(first[0].body.AuthParameters.DEVICE_KEY, undefined, 'no device named yet');
      const device = storedDevice(kit, storage, USER_AUTH, username);

      await auth.signOut();
      const again = await signInWithEmailCode(kit, auth, username);
      kit.sameJson(steps(again), ['InitiateAuth', 'RespondToAuthChallenge:EMAIL_OTP', ...DEVICE_PROOF], 'the code, then the device proves itself');
      kit.equal(again[0].body.AuthParameters.DEVICE_KEY, device.deviceKey, 'InitiateAuth USER_AUTH names the device');
      kit.equal(again[1].body.ChallengeResponses.DEVICE_KEY, device.deviceKey, 'the code answer names the device');
      kit.equal(again.at(-1).body.ChallengeResponses.DEVICE_KEY, device.deviceKey, 'DEVICE_PASSWORD_VERIFIER DEVICE_KEY');

      await auth.signOut();
      const chosen = await signInWithEmailCode(kit, auth, username, { choose: true });
      kit.sameJson(
        steps(chosen),
        ['InitiateAuth', 'RespondToAuthChallenge:SELECT_CHALLENGE', 'RespondToAuthChallenge:EMAIL_OTP', ...DEVICE_PROOF],
        'EMAIL_OTP chosen from SELECT_CHALLENGE: the device proves itself after the code',
      );
      kit.equal(chosen[1].body.ChallengeResponses.DEVICE_KEY, device.deviceKey, 'the SELECT_CHALLENGE answer names the device');
      kit.equal(storage.getItem(deviceKeyOf(USER_AUTH, username)), JSON.stringify(device), 'the stored device stays');
      const devices = await auth.fetchDevices();
      kit.sameJson(devices.map((d) => d.id), [device.deviceKey], 'fetchDevices: the one device');
    },
  },
  {
    name: 'USER_AUTH with a password: a remembered device skips MFA after PASSWORD and PASSWORD_SRP',
    async run(kit) {
      const storage = mapStorage();
      const auth = kit.auth(USER_AUTH, { storage });
      const username = 'devuamfa';
      const first = await record(async () => {
        const step = await auth.signIn({ username, password: PASSWORD, authFlow: 'USER_AUTH', preferredChallenge: 'PASSWORD' });
        kit.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE', 'without a device, the SMS step');
        const code = await kit.latestCode('us-east-1_DevicePool', username, 'SMS_MFA');
        await auth.confirmSignIn({ challengeResponse: code });
      }, auth);
      kit.sameJson(steps(first), ['InitiateAuth', 'RespondToAuthChallenge:SMS_MFA', 'ConfirmDevice'], 'the device is confirmed after MFA');
      const device = storedDevice(kit, storage, USER_AUTH, username);
      for (const [preferredChallenge, proof] of [
        ['PASSWORD', []],
        ['PASSWORD_SRP', ['RespondToAuthChallenge:PASSWORD_VERIFIER']],
      ]) {
        await auth.signOut();
        const again = await signInRecorded(kit, auth, { username, password: PASSWORD, authFlow: 'USER_AUTH', preferredChallenge });
        kit.sameJson(steps(again.seen), ['InitiateAuth', ...proof, ...DEVICE_PROOF], `${preferredChallenge}: no SMS step on the remembered device`);
        const named = proof.length ? again.seen[1].body.ChallengeResponses : again.seen[0].body.AuthParameters;
        kit.equal(named.DEVICE_KEY, device.deviceKey, `${preferredChallenge}: the password (or its SRP claim) names the device`);
      }
    },
  },
  {
    name: 'USER_AUTH: a device the service forgot is dropped, InitiateAuth retried once without it and a new device confirmed',
    async run(kit) {
      const storage = mapStorage();
      const auth = kit.auth(USER_AUTH, { storage });
      const username = 'devotpstale';
      await signInWithEmailCode(kit, auth, username);
      const device = storedDevice(kit, storage, USER_AUTH, username);
      const forgot = await kit.call('ForgetDevice', { AccessToken: auth.tokens.accessToken, DeviceKey: device.deviceKey });
      kit.equal(forgot.error, undefined, `ForgetDevice by hand (${forgot.message})`);
      await auth.signOut();
      const again = await signInWithEmailCode(kit, auth, username);
      kit.sameJson(
        steps(again),
        ['InitiateAuth', 'InitiateAuth', 'RespondToAuthChallenge:EMAIL_OTP', 'ConfirmDevice'],
        'refused with the stale device, retried without it',
      );
      kit.equal(again[0].body.AuthParameters.DEVICE_KEY, device.deviceKey, 'the first try names the stale device');
      kit.equal(again[1].body.AuthParameters.DEVICE_KEY, undefined, 'the retry names no device');
      kit.equal(again[2].body.ChallengeResponses.DEVICE_KEY, undefined, 'nor does the code answer');
      const renewed = storedDevice(kit, storage, USER_AUTH, username);
      kit.ok(renewed.deviceKey !== device.deviceKey, 'a new device is stored');
    },
  },
];
