// Known-answer vectors for remembered devices, from two independent reference clients.
//
//   Regenerate (from the repository root, after scripts/setup.sh):
//     node scripts/gen-vectors/device.mjs
//   Writes tests/vectors/device.json, which tests/device_vectors.rs checks our Rust against.
//
// Oracles:
//   - amazon-cognito-identity-js: the device verifier from its
//     AuthenticationHelper.generateHashDevice with the randomness pinned (the 40
//     password bytes through generateRandomString, the 16 salt bytes through the
//     crypto.getRandomValues its WordArray draws from); x is captured from the g.modPow
//     call, the identity hash from its hash(). The device claim from
//     CognitoUser.getDeviceResponse driven end to end with a fake transport, a frozen
//     Date and the helper's random `a` pinned (u, S and the key captured on the way).
//   - pycognito (pycognito_device_vectors.py): generate_hash_device with os.urandom
//     pinned, and AWSSRP.process_device_challenge with `a` pinned.
// The script fails unless both agree on every value. Everything is deterministic.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cognitoVersion, failures, require, root } from './oracles.mjs';
import { agree, deterministicBytes, memoryStorage, runPycognito, withFrozenDate } from './oracles.mjs';

const { AuthenticationHelper, CognitoUser, CognitoUserPool } = require('amazon-cognito-identity-js');
const OUT = path.join(root, 'tests', 'vectors', 'device.json');

const detBytes = deterministicBytes('cognito-wasm device vectors');
function shaped(label, n, shape) {
  const bytes = Buffer.from(detBytes(label, n));
  bytes[0] = shape(bytes[0]);
  return bytes;
}

const verifierCases = [
  {
    name: 'ordinary-device',
    deviceGroupKey: '-N4kW2zQ1',
    deviceKey: 'us-east-1_2d7e4c1a-7f3b-4e1a-9c2d-0b6a5f4e3d21',
    passwordBytes: detBytes('ordinary/password', 40),
    saltBytes: shaped('ordinary/salt', 16, (b) => (b & 0x6f) | 0x10),
  },
  {
    // padHex puts a 00 byte in front of the salt: Salt is 17 bytes.
    name: 'salt-top-bit-set',
    deviceGroupKey: '-Zz9yX8wV',
    deviceKey: 'eu-west-1_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    passwordBytes: detBytes('high-salt/password', 40),
    saltBytes: shaped('high-salt/salt', 16, (b) => b | 0x80),
  },
  {
    // The salt as a number drops its leading zero byte: Salt is 15 bytes.
    name: 'salt-leading-zero-byte',
    deviceGroupKey: '-aBcDeFgH',
    deviceKey: 'ap-south-1_00000000-1111-4222-8333-444444444444',
    passwordBytes: detBytes('zero-salt/password', 40),
    saltBytes: shaped('zero-salt/salt', 16, () => 0),
  },
];

const claimCases = [
  {
    name: 'device-password-verifier',
    verifier: 'ordinary-device',
    poolId: 'us-east-1_DevicePool',
    a: shaped('claim/a', 128, (b) => b | 0x01).toString('hex'),
    B: shaped('claim/B', 384, (b) => (b & 0x6f) | 0x10).toString('hex'),
    secretBlock: detBytes('claim/secret-block', 64).toString('base64'),
    unixSeconds: 1767225599,
  },
  {
    name: 'device-claim-high-salt',
    verifier: 'salt-top-bit-set',
    poolId: 'eu-west-1_DevicePool',
    a: shaped('claim2/a', 128, (b) => b | 0x80).toString('hex'),
    B: shaped('claim2/B', 384, (b) => (b & 0x6f) | 0x10).toString('hex'),
    secretBlock: detBytes('claim2/secret-block', 96).toString('base64'),
    unixSeconds: 1531220460,
  },
];

const big = (hex) => BigInt(`0x${hex}`);

/** crypto.getRandomValues answering the given bytes, as WordArray reads them (big-endian words). */
function withPinnedRandom(bytes, fn) {
  const words = [];
  for (let i = 0; i < bytes.length; i += 4) words.push(bytes.readUInt32BE(i));
  const crypto = globalThis.crypto;
  const real = crypto.getRandomValues;
  crypto.getRandomValues = (array) => {
    if (!words.length) throw new Error('the oracle drew more random bytes than pinned');
    array[0] = words.shift();
    return array;
  };
  try {
    return fn();
  } finally {
    crypto.getRandomValues = real;
    if (words.length) failures.push(`${words.length} pinned random words were not drawn`);
  }
}

function jsVerifier(c) {
  const helper = new AuthenticationHelper('unused');
  helper.generateRandomString = () => c.passwordBytes.toString('base64');
  const captured = {};
  const hash = helper.hash;
  helper.hash = function (text) {
    const digest = hash.call(this, text);
    if (captured.identityHash === undefined) captured.identityHash = digest;
    return digest;
  };
  const modPow = helper.g.modPow;
  helper.g.modPow = function (x, n, callback) {
    captured.x = x.toString(16);
    return modPow.call(this, x, n, callback);
  };
  withPinnedRandom(c.saltBytes, () =>
    helper.generateHashDevice(c.deviceGroupKey, c.deviceKey, (err) => {
      if (err) throw err;
    }),
  );
  // As CognitoUser sends them in ConfirmDevice.
  return {
    devicePassword: helper.getRandomPassword(),
    identityHash: captured.identityHash,
    saltHex: helper.getSaltDevices(),
    x: captured.x,
    verifierHex: helper.getVerifierDevices(),
    passwordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'),
    salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
  };
}

/** CognitoUser.getDeviceResponse end to end: fake transport, frozen clock, pinned a. */
function jsClaim(c, device) {
  const pool = new CognitoUserPool({ UserPoolId: c.poolId, ClientId: 'vectorsclientid', Storage: memoryStorage() });
  const user = new CognitoUser({ Username: 'device-user', Pool: pool, Storage: memoryStorage() });
  user.deviceKey = device.deviceKey;
  user.deviceGroupKey = device.deviceGroupKey;
  user.randomPassword = device.devicePassword;
  user.Session = 'session-1';
  const seen = {};
  user.client = {
    request(operation, params, callback) {
      if (params.ChallengeName === 'DEVICE_SRP_AUTH') {
        seen.srp = params;
        return callback(null, {
          ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
          Session: 'session-2',
          ChallengeParameters: { USERNAME: 'device-user', SALT: device.saltHex, SRP_B: c.B, SECRET_BLOCK: c.secretBlock },
        });
      }
      seen.verifier = params;
      return callback(Object.assign(new Error('vector captured'), { code: 'VectorCaptured' }));
    },
  };
  const proto = AuthenticationHelper.prototype;
  const saved = { random: proto.generateRandomSmallA, s: proto.calculateS, hkdf: proto.computehkdf };
  const captured = {};
  proto.generateRandomSmallA = function () {
    return new this.N.constructor(c.a, 16);
  };
  proto.calculateS = function (x, serverB, callback) {
    captured.x = x.toString(16);
    captured.helper = this;
    return saved.s.call(this, x, serverB, (err, s) => {
      captured.S = s.toString(16);
      callback(err, s);
    });
  };
  proto.computehkdf = function (ikm, salt) {
    const key = saved.hkdf.call(this, ikm, salt);
    captured.key = Buffer.from(key).toString('hex');
    return key;
  };
  let failure;
  try {
    withFrozenDate(c.unixSeconds, () =>
      user.getDeviceResponse({ onSuccess: () => (failure = new Error('unexpected success')), onFailure: (e) => (failure = e) }),
    );
  } finally {
    Object.assign(proto, { generateRandomSmallA: saved.random, calculateS: saved.s, computehkdf: saved.hkdf });
  }
  if (failure?.code !== 'VectorCaptured') throw new Error(`${c.name}: getDeviceResponse: ${failure}`);
  const answer = seen.verifier.ChallengeResponses;
  return {
    A: seen.srp.ChallengeResponses.SRP_A,
    srpAnswer: seen.srp.ChallengeResponses,
    session: seen.verifier.Session,
    u: captured.helper.UValue.toString(16),
    x: captured.x,
    S: captured.S,
    key: captured.key,
    timestamp: answer.TIMESTAMP,
    signature: answer.PASSWORD_CLAIM_SIGNATURE,
    answer,
  };
}

const verifiers = verifierCases.map((c) => ({ ...c, js: jsVerifier(c) }));
const byName = Object.fromEntries(verifiers.map((v) => [v.name, v]));

const py = (() => {
  const request = {
    verifiers: verifierCases.map((c) => ({
      name: c.name,
      deviceGroupKey: c.deviceGroupKey,
      deviceKey: c.deviceKey,
      passwordBytes: c.passwordBytes.toString('hex'),
      saltBytes: c.saltBytes.toString('hex'),
    })),
    claims: claimCases.map((c) => {
      const v = byName[c.verifier];
      return {
        name: c.name,
        poolId: c.poolId,
        deviceGroupKey: v.deviceGroupKey,
        deviceKey: v.deviceKey,
        devicePassword: v.js.devicePassword,
        a: c.a,
        salt: v.js.saltHex,
        B: c.B,
        secretBlock: c.secretBlock,
        unixSeconds: c.unixSeconds,
      };
    }),
  };
  return runPycognito('pycognito_device_vectors.py', request);
})();

const verifierOut = verifiers.map((v, i) => {
  const p = py.verifiers[i];
  const where = `verifier ${v.name}`;
  agree(where, 'devicePassword', v.js.devicePassword, p.devicePassword);
  agree(where, 'x', big(v.js.x).toString(16), big(p.x).toString(16));
  agree(where, 'PasswordVerifier', v.js.passwordVerifier, p.passwordVerifier);
  agree(where, 'Salt', v.js.salt, p.salt);
  return {
    name: v.name,
    deviceGroupKey: v.deviceGroupKey,
    deviceKey: v.deviceKey,
    passwordBytes: v.passwordBytes.toString('hex'),
    saltBytes: v.saltBytes.toString('hex'),
    devicePassword: v.js.devicePassword,
    identityHash: v.js.identityHash,
    saltPadHex: v.js.saltHex,
    x: v.js.x,
    verifierPadHex: v.js.verifierHex,
    passwordVerifier: v.js.passwordVerifier,
    salt: v.js.salt,
  };
});

const claimOut = claimCases.map((c, i) => {
  const v = byName[c.verifier];
  const js = jsClaim(c, { ...v, devicePassword: v.js.devicePassword, saltHex: v.js.saltHex });
  const p = py.claims[i];
  const where = `claim ${c.name}`;
  for (const q of ['A', 'u', 'x', 'S']) agree(where, q, big(js[q]).toString(16), big(p[q]).toString(16));
  agree(where, 'x (claim) = x (verifier)', big(js.x).toString(16), big(v.js.x).toString(16));
  agree(where, 'key', js.key, p.key);
  agree(where, 'TIMESTAMP', js.timestamp, p.timestamp);
  agree(where, 'signature', js.signature, p.signature);
  agree(where, 'DEVICE_KEY answered', js.answer.DEVICE_KEY, p.deviceKeyAnswered);
  agree(where, 'DEVICE_SRP_AUTH DEVICE_KEY', js.srpAnswer.DEVICE_KEY, v.deviceKey);
  agree(where, 'DEVICE_PASSWORD_VERIFIER Session', js.session, 'session-2');
  return {
    name: c.name,
    verifier: c.verifier,
    a: c.a,
    A: js.A,
    saltHex: v.js.saltHex,
    B: c.B,
    u: js.u,
    x: js.x,
    S: js.S,
    key: js.key,
    secretBlock: c.secretBlock,
    timestamp: js.timestamp,
    signature: js.signature,
  };
});

if (failures.length) {
  console.error(`The oracles disagree (${failures.length}):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
writeFileSync(
  OUT,
  `${JSON.stringify(
    { generatedBy: { 'amazon-cognito-identity-js': cognitoVersion, pycognito: py.pycognito }, verifiers: verifierOut, claims: claimOut },
    null,
    2,
  )}\n`,
);
console.log(
  `amazon-cognito-identity-js ${cognitoVersion} and pycognito ${py.pycognito} agree on ` +
    `${verifierOut.length} device verifiers and ${claimOut.length} device claims; wrote ${path.relative(root, OUT)}`,
);
