// Known-answer vectors for the SRP maths, from two independent reference clients.
//
//   Regenerate (from the repository root, after scripts/setup.sh):
//     node scripts/gen-vectors/gen.mjs
//   Python interpreter: $PYTHON, default .venv/bin/python (pycognito installed there).
//   Writes tests/vectors/srp.json, which tests/oracle_vectors.rs checks our Rust against:
//     cargo test -p cognito-wasm --test oracle_vectors
//
// Oracles:
//   - amazon-cognito-identity-js (node_modules, lib/ CommonJS build): every SRP value is
//     taken from its AuthenticationHelper with the secret `a` pinned (smallAValue set, A
//     recomputed by its getLargeAValue). x and S are captured by wrapping the helper's own
//     calculateS, the key by wrapping computehkdf. The signature is the HMAC CognitoUser
//     computes, reproduced with node:crypto from the helper's key, AND cross-checked by
//     driving CognitoUser.authenticateUser end to end with a fake transport, a frozen
//     Date and the helper's random `a` pinned.
//   - pycognito (scripts/gen-vectors/pycognito_vectors.py, run as a child process): its
//     AWSSRP with small_a_value / large_a_value pinned, process_challenge with a patched
//     clock, intermediates recorded from the module's own helpers.
// The script fails loudly unless both oracles agree on every value (numbers compared as
// integers; the JSON carries amazon-cognito-identity-js's toString(16)).
//
// Everything is deterministic: "random" values come from SHA-256 of fixed labels.

import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cognitoVersion, failures, require, root } from './oracles.mjs';
import { agree, deterministicBytes, memoryStorage, runPycognito, withFrozenDate } from './oracles.mjs';

const cognito = require('amazon-cognito-identity-js');
const { AuthenticationHelper, AuthenticationDetails, CognitoUser, CognitoUserPool, DateHelper } =
  cognito;

const OUT = path.join(root, 'tests', 'vectors', 'srp.json');

// ---------------------------------------------------------------------------------------
// Deterministic "randomness": SHA-256(label/counter) blocks.

const detBytes = deterministicBytes('cognito-wasm vectors');

/** detBytes with the first byte forced through `shape(firstByte)`. */
function detHex(label, n, shape = (b) => b) {
  const bytes = Buffer.from(detBytes(label, n));
  bytes[0] = shape(bytes[0]);
  return bytes.toString('hex');
}

function detUuid(label) {
  const b = Buffer.from(detBytes(label, 16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const big = (hex) => BigInt(`0x${hex}`);
const N = big(new AuthenticationHelper('x').N.toString(16));

// ---------------------------------------------------------------------------------------
// The cases. `check` asserts that the case really exercises what its name says.
//
// Deliberately absent: a SALT whose hex carries a redundant leading 00 byte followed by a
// byte below 0x80 (e.g. "007f..."). There the oracles disagree: amazon-cognito-identity-js
// parses SALT into a BigInteger, so padHex drops the redundant zeros ("7f..."), while
// pycognito pads the server's hex string as it is ("007f..."); x, S, key and signature
// then differ. (Our Rust parses SALT to a number, like amazon-cognito-identity-js.)

const REALISTIC_SECRET_BLOCK = detBytes('secret-block/realistic', 1100).toString('base64');
const b64 = (label, n = 64) => detBytes(`secret-block/${label}`, n).toString('base64');

const cases = [
  {
    name: 'alexrudd-public-vector',
    // alexrudd/cognito-srp cognitosrp_test.go: B tiny, so B - k*g^x < 0.
    poolId: 'eu-west-1_myPool',
    typedUsername: 'test',
    userIdForSrp: 'test',
    password: 'test',
    a: (1234567890).toString(16),
    salt: '499602d2',
    B: '499602d2',
    secretBlock: Buffer.from('secretssecrestssecrets').toString('base64'),
    unixSeconds: 1531220460, // Tue Jul 10 11:01:00 UTC 2018
    expectSignature: 'tdvQu/Li/qWl8Nni0aFPs+MwY4rvKZm0kSMrGIMSUHk=',
    expectKey: 'd96cde6c95dda17175c1293140c5a81f',
    check: (c, py) => assert(BigInt(py.base) < 0n, 'B - k*g^x should be negative'),
  },
  {
    name: 'ordinary-user',
    poolId: 'us-east-1_AbCdEf123',
    typedUsername: 'alice',
    userIdForSrp: 'alice',
    password: 'Correct-Horse-Battery-Staple-1!',
    a: detHex('ordinary/a', 128),
    salt: detHex('ordinary/salt', 16, (b) => (b & 0x6f) | 0x10),
    B: detHex('ordinary/B', 384, (b) => (b & 0x6f) | 0x10),
    secretBlock: b64('ordinary'),
    unixSeconds: 1717245296,
  },
  {
    name: 'uuid-user-id-alias-sign-in',
    // Typed an email (alias); the server answers USER_ID_FOR_SRP = the uuid username.
    poolId: 'eu-central-1_Zx9Yw8Vu7',
    typedUsername: 'bob@example.com',
    userIdForSrp: detUuid('uuid/user'),
    password: 'Pa55word!',
    a: detHex('uuid/a', 128),
    salt: detHex('uuid/salt', 16, (b) => b | 0x10),
    B: detHex('uuid/B', 384, (b) => (b & 0x6f) | 0x10),
    secretBlock: b64('uuid'),
    unixSeconds: 1704067200,
  },
  {
    name: 'unicode-password',
    poolId: 'ap-northeast-1_Uni1Code2',
    typedUsername: 'carol',
    userIdForSrp: 'carol',
    password: 'pässwörd-日本語-🔑',
    a: detHex('unicode-password/a', 128),
    salt: detHex('unicode-password/salt', 16, (b) => b | 0x10),
    B: detHex('unicode-password/B', 384, (b) => (b & 0x6f) | 0x10),
    secretBlock: b64('unicode-password'),
    unixSeconds: 1736899200,
  },
  {
    name: 'unicode-user-id-nfd-password',
    // Nothing normalises: the user id and the decomposed (NFD) password are hashed as UTF-8.
    poolId: 'eu-west-3_Paris75',
    typedUsername: 'Zoë_東京',
    userIdForSrp: 'Zoë_東京',
    password: 'cafe\u0301 Ame\u0301lie 🥐',
    a: detHex('unicode-user/a', 128),
    salt: detHex('unicode-user/salt', 16, (b) => b | 0x10),
    B: detHex('unicode-user/B', 384, (b) => (b & 0x6f) | 0x10),
    secretBlock: b64('unicode-user'),
    unixSeconds: 1741046400,
    check: (c) => assert(c.password !== c.password.normalize('NFC'), 'password should be NFD'),
  },
  {
    name: 'b-odd-length-hex',
    poolId: 'us-west-2_OddB1',
    typedUsername: 'dave',
    userIdForSrp: 'dave',
    password: 'odd-length B',
    a: detHex('odd-b/a', 128),
    salt: detHex('odd-b/salt', 16, (b) => b | 0x10),
    B: big(detHex('odd-b/B', 384, (b) => (b & 0x0f) | 0x01)).toString(16),
    secretBlock: b64('odd-b'),
    unixSeconds: 1600000000,
    check: (c) => assert(c.B.length % 2 === 1, 'B hex should have odd length'),
  },
  {
    name: 'small-b-negative-base',
    poolId: 'us-east-2_SmallB',
    typedUsername: 'erin',
    userIdForSrp: 'erin',
    password: 'tiny B from the server',
    a: detHex('small-b/a', 128),
    salt: detHex('small-b/salt', 16, (b) => b | 0x10),
    B: '1f',
    secretBlock: b64('small-b'),
    unixSeconds: 1262304000,
    check: (c, py) => assert(BigInt(py.base) < 0n, 'B - k*g^x should be negative'),
  },
  {
    name: 'b-top-nibble-high',
    // padHex(B) gets a 00 byte in front.
    poolId: 'sa-east-1_HighNib',
    typedUsername: 'frank',
    userIdForSrp: 'frank',
    password: 'padHex adds 00',
    a: detHex('high-b/a', 128),
    salt: detHex('high-b/salt', 16, (b) => b | 0x10),
    B: detHex('high-b/B', 384, (b) => 0x80 | (b & 0x3f)),
    secretBlock: b64('high-b'),
    unixSeconds: 1000000000,
    check: (c) => assert(/^[89ab]/.test(c.B) && c.B.length % 2 === 0, 'B should start 8-b'),
  },
  {
    name: 'salt-odd-length-hex',
    poolId: 'ca-central-1_OddSalt',
    typedUsername: 'grace',
    userIdForSrp: 'grace',
    password: 'odd salt',
    a: detHex('odd-salt/a', 128),
    salt: detHex('odd-salt/salt', 16, (b) => (b & 0x0f) | 0x01).slice(1),
    B: detHex('odd-salt/B', 384, (b) => (b & 0x6f) | 0x10),
    secretBlock: b64('odd-salt'),
    unixSeconds: 1234567890,
    check: (c) => assert(c.salt.length === 31, 'salt hex should have 31 digits'),
  },
  {
    name: 'salt-leading-zero-nibble',
    poolId: 'eu-north-1_ZeroSalt',
    typedUsername: 'heidi',
    userIdForSrp: 'heidi',
    password: 'salt starts with 0',
    a: detHex('zero-salt/a', 128),
    salt: detHex('zero-salt/salt', 16, (b) => (b & 0x0f) | 0x01),
    B: detHex('zero-salt/B', 384, (b) => (b & 0x6f) | 0x10),
    secretBlock: b64('zero-salt'),
    unixSeconds: 951782400,
    check: (c) => assert(c.salt[0] === '0' && c.salt.length === 32, 'salt should be 0x...'),
  },
  {
    name: 'realistic-3072-bit-b-128-bit-salt',
    // As a server would send: B uniform below N, 16 random salt bytes, ~1.1 kB SECRET_BLOCK.
    poolId: 'us-east-1_Real1stic',
    typedUsername: 'ivan@example.org',
    userIdForSrp: detUuid('realistic/user'),
    password: 'G00d-Passw0rd#2024',
    a: detHex('realistic/a', 128),
    salt: detHex('realistic/salt', 16),
    B: (big(detHex('realistic/B', 384)) % N).toString(16),
    secretBlock: REALISTIC_SECRET_BLOCK,
    unixSeconds: 1767225599,
    check: (c) => assert(big(c.B).toString(2).length > 3064, 'B should be ~3072 bits'),
  },
  {
    name: 'large-a-1024-bit',
    poolId: 'us-east-1_BigA',
    typedUsername: 'judy',
    userIdForSrp: 'judy',
    password: 'a has its top bit set',
    a: detHex('large-a/a', 128, (b) => b | 0x80),
    salt: detHex('large-a/salt', 16, (b) => b | 0x80),
    B: detHex('large-a/B', 384, (b) => (b & 0x6f) | 0x10),
    secretBlock: b64('large-a'),
    unixSeconds: 2147483648,
    check: (c) => assert(big(c.a).toString(2).length === 1024, 'a should be 1024 bits'),
  },
  {
    name: 'b-above-n',
    // N <= B < 2^3072 (B mod N != 0): u hashes B as sent, S works mod N.
    // (A B of more than 3072 bits is malformed; the client refuses it.)
    poolId: 'us-east-1_AboveN',
    typedUsername: 'mallory',
    userIdForSrp: 'mallory',
    password: 'B is not reduced',
    a: detHex('above-n/a', 128),
    salt: detHex('above-n/salt', 16, (b) => b | 0x10),
    B: (N + big(detHex('above-n/B', 32))).toString(16),
    secretBlock: b64('above-n'),
    unixSeconds: 4102444800,
    check: (c) =>
      assert(big(c.B) > N && big(c.B) < 1n << 3072n && big(c.B) % N !== 0n, 'B should be in (N, 2^3072)'),
  },
  {
    name: 'server-hex-uppercase-leading-zeros',
    // Upper-case hex; B with redundant leading zeros; salt starting 8-f (padHex adds 00).
    poolId: 'me-south-1_UpperHex',
    typedUsername: 'niaj',
    userIdForSrp: 'niaj',
    password: 'HEX IN CAPITALS',
    a: detHex('upper/a', 128),
    salt: detHex('upper/salt', 16, (b) => b | 0x80).toUpperCase(),
    B: `0000${detHex('upper/B', 384, (b) => (b & 0x6f) | 0x10).toUpperCase()}`,
    secretBlock: b64('upper'),
    unixSeconds: 946684799,
  },
];

const secretHashCases = [
  // The public alexrudd/cognito-srp vector.
  { username: 'test', clientId: '123abd', clientSecret: 'clientSecret', expect: 'LoIX/oPJWZzFYv8liJYRo+CHv16FNDY10JlZEDjL3Vg=' },
  {
    username: 'alice',
    clientId: '1example23456789abcdefghij',
    clientSecret: detBytes('secret-hash/alice', 39).toString('base64url').toLowerCase().slice(0, 51),
  },
  {
    username: 'bob@example.com',
    clientId: '7h3c113n7id0fy0urapp1c4t10n',
    clientSecret: detHex('secret-hash/bob', 26),
  },
  {
    username: detUuid('uuid/user'),
    clientId: '4k5l6m7n8o9p0q1r2s3t4u5v6w',
    clientSecret: detHex('secret-hash/uuid', 26),
  },
  { username: 'Zoë_東京-🔑', clientId: 'unicodeclientid0123456789', clientSecret: 'sëcret-ключ-🔐' },
];

const timestampCases = [
  0, // Thu Jan 1 00:00:00 UTC 1970
  -1, // Wed Dec 31 23:59:59 UTC 1969
  949374245, // Tue Feb 1 03:04:05 UTC 2000
  951782400, // Tue Feb 29 00:00:00 UTC 2000
  1000000000,
  1531220460, // the public vector's time
  1709164800, // Thu Feb 29 00:00:00 UTC 2024
  1767225599, // Wed Dec 31 23:59:59 UTC 2025
  2147483648, // past the signed 32-bit limit
  4102444800, // Fri Jan 1 00:00:00 UTC 2100 (not a leap year)
  253402300799, // Fri Dec 31 23:59:59 UTC 9999
];

// ---------------------------------------------------------------------------------------
// Helpers.

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function agreeNum(where, what, jsHex, pyHex) {
  if (big(jsHex) !== big(pyHex)) {
    failures.push(`${where}: ${what}: amazon-cognito-identity-js ${jsHex} != pycognito ${pyHex}`);
  }
}

/** The PASSWORD_CLAIM_SIGNATURE HMAC exactly as CognitoUser.authenticateUserDefaultAuth builds it. */
function claimSignature(key, poolName, userId, secretBlock, timestamp) {
  const message = Buffer.concat([
    Buffer.from(poolName, 'utf8'),
    Buffer.from(userId, 'utf8'),
    Buffer.from(secretBlock, 'base64'),
    Buffer.from(timestamp, 'utf8'),
  ]);
  return createHmac('sha256', key).update(message).digest('base64');
}

// ---------------------------------------------------------------------------------------
// amazon-cognito-identity-js.

function jsHelperValues(c) {
  const poolName = c.poolId.split('_')[1];
  const helper = new AuthenticationHelper(poolName);
  const BigInteger = helper.N.constructor;
  helper.smallAValue = new BigInteger(c.a, 16);
  helper.largeAValue = undefined; // the constructor computed A from its own random a
  let largeA;
  helper.getLargeAValue((err, v) => {
    if (err) throw err;
    largeA = v;
  });

  const captured = {};
  const calculateS = helper.calculateS;
  helper.calculateS = function (xValue, serverB, callback) {
    captured.x = xValue;
    return calculateS.call(this, xValue, serverB, (err, s) => {
      captured.S = s;
      callback(err, s);
    });
  };
  const computehkdf = helper.computehkdf;
  helper.computehkdf = function (ikm, salt) {
    const key = computehkdf.call(this, ikm, salt);
    captured.hkdfIkm = Buffer.from(ikm).toString('hex');
    captured.hkdfSalt = Buffer.from(salt).toString('hex');
    return key;
  };

  // As CognitoUser parses the challenge.
  const serverB = new BigInteger(c.B, 16);
  const salt = new BigInteger(c.salt, 16);
  let key;
  helper.getPasswordAuthenticationKey(c.userIdForSrp, c.password, serverB, salt, (err, hkdf) => {
    if (err) throw err;
    key = Buffer.from(hkdf);
  });
  assert(key && captured.S && captured.x, `${c.name}: AuthenticationHelper did not call back`);

  const timestamp = withFrozenDate(c.unixSeconds, () => new DateHelper().getNowString());
  return {
    a: helper.smallAValue.toString(16),
    A: largeA.toString(16),
    k: helper.k.toString(16),
    u: helper.UValue.toString(16),
    x: captured.x.toString(16),
    S: captured.S.toString(16),
    padHexS: helper.padHex(captured.S),
    padHexU: helper.padHex(helper.UValue),
    hkdfIkm: captured.hkdfIkm,
    hkdfSalt: captured.hkdfSalt,
    key: key.toString('hex'),
    timestamp,
    signature: claimSignature(key, poolName, c.userIdForSrp, c.secretBlock, timestamp),
  };
}

/** CognitoUser.authenticateUser end to end: fake transport, frozen clock, pinned a. */
function jsWholeFlow(c) {
  const pool = new CognitoUserPool({
    UserPoolId: c.poolId,
    ClientId: 'vectorsclientid',
    Storage: memoryStorage(),
  });
  const user = new CognitoUser({ Username: c.typedUsername, Pool: pool, Storage: memoryStorage() });
  user.setAuthenticationFlowType('USER_SRP_AUTH');
  const seen = {};
  user.client = {
    request(operation, params, callback) {
      if (operation === 'InitiateAuth') {
        seen.initiate = params;
        return callback(null, {
          ChallengeName: 'PASSWORD_VERIFIER',
          Session: 'session',
          ChallengeParameters: {
            USERNAME: c.userIdForSrp,
            USER_ID_FOR_SRP: c.userIdForSrp,
            SALT: c.salt,
            SRP_B: c.B,
            SECRET_BLOCK: c.secretBlock,
          },
        });
      }
      if (operation === 'RespondToAuthChallenge') {
        seen.respond = params;
        return callback(Object.assign(new Error('vector captured'), { code: 'VectorCaptured' }));
      }
      throw new Error(`unexpected operation ${operation}`);
    },
  };
  const proto = AuthenticationHelper.prototype;
  const realRandomSmallA = proto.generateRandomSmallA;
  proto.generateRandomSmallA = function () {
    return new this.N.constructor(c.a, 16);
  };
  let failure;
  try {
    withFrozenDate(c.unixSeconds, () =>
      user.authenticateUser(
        new AuthenticationDetails({ Username: c.typedUsername, Password: c.password }),
        {
          onSuccess: () => (failure = new Error('unexpected success')),
          onFailure: (err) => (failure = err),
        },
      ),
    );
  } finally {
    proto.generateRandomSmallA = realRandomSmallA;
  }
  assert(failure && failure.code === 'VectorCaptured', `${c.name}: CognitoUser flow: ${failure}`);
  assert(seen.initiate.AuthParameters.USERNAME === c.typedUsername, `${c.name}: InitiateAuth USERNAME`);
  return { SRP_A: seen.initiate.AuthParameters.SRP_A, ...seen.respond.ChallengeResponses };
}

// ---------------------------------------------------------------------------------------

const py = runPycognito('pycognito_vectors.py', {
  srp: cases.map(({ name, poolId, userIdForSrp, password, a, salt, B, secretBlock, unixSeconds }) => ({
    name, poolId, userIdForSrp, password, a, salt, B, secretBlock, unixSeconds,
  })),
  secretHash: secretHashCases.map(({ username, clientId, clientSecret }) => ({ username, clientId, clientSecret })),
  timestamps: timestampCases.map((unixSeconds) => ({ unixSeconds })),
});
assert(py.srp.length === cases.length, 'pycognito returned the wrong number of SRP vectors');

const srp = cases.map((c, i) => {
  const where = `vector ${c.name}`;
  const p = py.srp[i];
  assert(p.name === c.name, `${where}: pycognito answered for ${p.name}`);
  const js = jsHelperValues(c);
  const flow = jsWholeFlow(c);

  for (const q of ['A', 'k', 'u', 'x', 'S']) agreeNum(where, q, js[q], p[q]);
  agreeNum(where, 'SRP_A as sent', flow.SRP_A, p.SRP_A);
  agree(where, 'SRP_A text', flow.SRP_A, js.A);
  agree(where, 'HKDF ikm = padHex(S)', js.hkdfIkm, p.hkdfIkm);
  agree(where, 'HKDF salt = padHex(u)', js.hkdfSalt, p.hkdfSalt);
  agree(where, 'padHex(S)', js.padHexS, p.hkdfIkm);
  agree(where, 'padHex(u)', js.padHexU, p.hkdfSalt);
  agree(where, 'key', js.key, p.key);
  agree(where, 'TIMESTAMP', js.timestamp, p.timestamp);
  agree(where, 'TIMESTAMP (CognitoUser)', flow.TIMESTAMP, p.timestamp);
  agree(where, 'signature', js.signature, p.signature);
  agree(where, 'signature (CognitoUser)', flow.PASSWORD_CLAIM_SIGNATURE, p.signature);
  agree(where, 'USERNAME answered (CognitoUser)', flow.USERNAME, c.userIdForSrp);
  agree(where, 'USERNAME answered (pycognito)', p.username, c.userIdForSrp);
  agree(where, 'PASSWORD_CLAIM_SECRET_BLOCK', flow.PASSWORD_CLAIM_SECRET_BLOCK, c.secretBlock);
  if (c.expectKey) agree(where, 'public key', js.key, c.expectKey);
  if (c.expectSignature) agree(where, 'public signature', js.signature, c.expectSignature);
  if (c.check) {
    try {
      c.check(c, p);
    } catch (e) {
      failures.push(`${where}: case does not exercise what it says: ${e.message}`);
    }
  }

  return {
    name: c.name,
    poolName: c.poolId.split('_')[1],
    userIdForSrp: c.userIdForSrp,
    password: c.password,
    a: js.a,
    A: flow.SRP_A,
    salt: c.salt,
    B: c.B,
    k: js.k,
    u: js.u,
    x: js.x,
    S: js.S,
    key: js.key,
    secretBlock: c.secretBlock,
    timestamp: js.timestamp,
    signature: js.signature,
  };
});

const secretHash = secretHashCases.map((c, i) => {
  const node = createHmac('sha256', Buffer.from(c.clientSecret, 'utf8'))
    .update(Buffer.from(c.username + c.clientId, 'utf8'))
    .digest('base64');
  const where = `secretHash ${JSON.stringify(c.username)}`;
  agree(where, 'SECRET_HASH (node:crypto vs pycognito)', node, py.secretHash[i].secretHash);
  if (c.expect) agree(where, 'public SECRET_HASH', node, c.expect);
  return { username: c.username, clientId: c.clientId, clientSecret: c.clientSecret, secretHash: node };
});

const timestamps = timestampCases.map((unixSeconds, i) => {
  const formatted = withFrozenDate(unixSeconds, () => new DateHelper().getNowString());
  agree(`timestamp ${unixSeconds}`, 'formatted', formatted, py.timestamps[i].formatted);
  return { unixSeconds, formatted };
});

if (failures.length > 0) {
  console.error(`The oracles disagree (${failures.length}):\n  ${failures.join('\n  ')}`);
  console.error(`${path.relative(root, OUT)} was NOT written.`);
  process.exit(1);
}

const vectors = {
  generatedBy: { 'amazon-cognito-identity-js': cognitoVersion, pycognito: py.pycognito },
  srp,
  secretHash,
  timestamps,
};
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(vectors, null, 2)}\n`);
console.log(
  `amazon-cognito-identity-js ${cognitoVersion} and pycognito ${py.pycognito} agree on ` +
    `${srp.length} SRP, ${secretHash.length} SECRET_HASH and ${timestamps.length} TIMESTAMP ` +
    `vectors; wrote ${path.relative(root, OUT)}`,
);
