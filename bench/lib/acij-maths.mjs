// One sign-in's SRP maths the way amazon-cognito-identity-js 6.3 does it in
// CognitoUser.authenticateUserDefaultAuth: a new AuthenticationHelper (which
// computes k, draws a 1024-bit `a` and computes A), getLargeAValue,
// getPasswordAuthenticationKey, then the HMAC claim over pool name, user,
// SECRET_BLOCK and timestamp with @aws-crypto/sha256-js.
import { AuthenticationHelper } from 'amazon-cognito-identity-js';
// CommonJS without static named exports in Node: take the default export.
import sha256js from '@aws-crypto/sha256-js';
import { Buffer } from 'buffer';

const { Sha256 } = sha256js;

/**
 * Returns { srpA, signature }. With `pinnedA` (a BigInt) the helper's random
 * `a` is replaced before A is read, for the correctness check; the timed runs
 * leave it random, so they pay for the constructor's A as the library does.
 */
export function acijSignInMaths(identity, challenge, timestamp, pinnedA) {
  const helper = new AuthenticationHelper(identity.poolName);
  // jsbn's BigInteger is not exported from the package index; the helper's own
  // N is one, so its constructor is the class.
  const BigInteger = helper.N.constructor;
  if (pinnedA !== undefined) {
    helper.smallAValue = new BigInteger(pinnedA.toString(16), 16);
    helper.largeAValue = undefined;
  }
  // The library's callbacks run synchronously; collect their results.
  let srpA;
  let key;
  helper.getLargeAValue((error, A) => {
    if (error) throw error;
    srpA = A.toString(16);
  });
  helper.getPasswordAuthenticationKey(
    identity.userId,
    identity.password,
    new BigInteger(challenge.srpBHex, 16),
    new BigInteger(challenge.saltHex, 16),
    (error, hkdf) => {
      if (error) throw error;
      key = hkdf;
    },
  );
  const message = Buffer.concat([
    Buffer.from(identity.poolName, 'utf8'),
    Buffer.from(identity.userId, 'utf8'),
    Buffer.from(challenge.secretBlockB64, 'base64'),
    Buffer.from(timestamp, 'utf8'),
  ]);
  const mac = new Sha256(key);
  mac.update(message);
  return { srpA, signature: Buffer.from(mac.digestSync()).toString('base64') };
}
