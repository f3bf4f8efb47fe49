// The identity-pool scenarios (AWS credentials for signed-in users and
// guests), shared so that both runtimes run the same code: identity.test.mjs
// runs them in Node, identity-browser.test.mjs in headless Chromium (the
// harness page imports this very file). Plain ES, no Node APIs.
//
// Each scenario is `async run(kit)` against tests/e2e/seed-credentials.json
// (`env.seed`); it throws on the first failed check. The kit is
// scenarios.mjs's `makeKit` plus the requests sent (`kit.sent`: the
// operation and the parsed body of each), `kit.openId` (GetOpenIdToken,
// which tells a guest identity from a user's) and `kit.clockAhead`.
// Independent proof that the credentials work (the AWS SDK v3 signing S3
// requests with them, Amplify v6 reading them) is in identity.test.mjs and
// identity-browser.test.mjs.

import { makeKit } from './scenarios.mjs';
import { recordRequests } from './session-scenarios.mjs';

export const CREDENTIALS_POOL = 'us-east-1_Credentials';
export const CREDENTIALS_CLIENT = 'credentialsclient000000000';
export const PROVIDER = `cognito-idp.us-east-1.amazonaws.com/${CREDENTIALS_POOL}`;
/** Guests allowed, 1-hour credentials. */
export const FILES = 'us-east-1:0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e';
/** Guests allowed, 60-second credentials. */
export const MINUTE = 'us-east-1:1d2e3f4a-5b6c-4d7e-8f90-1a2b3c4d5e6f';
/** No guests. */
export const MEMBERS = 'us-east-1:2e3f4a5b-6c7d-4e8f-9a01-2b3c4d5e6f7a';
/** 2-second credentials, no guests. */
export const BLINK = 'us-east-1:3f4a5b6c-7d8e-4f9a-8b12-3c4d5e6f7a8b';

const IDENTITY_ID = /^us-east-1:[0-9a-f-]{36}$/;
const password = (user) => `${user[0].toUpperCase()}${user.slice(1)}-Passw0rd!`;

/** Checks the shape of fetchSession's credentials; returns them. */
function checkCredentials(kit, session, seconds, what) {
  const { credentials, identityId } = session;
  kit.ok(IDENTITY_ID.test(identityId), `${what}: identityId ${identityId}`);
  kit.ok(/^ASIA[A-Z2-7]{16}$/.test(credentials?.accessKeyId), `${what}: accessKeyId ${credentials?.accessKeyId}`);
  kit.ok(typeof credentials.secretAccessKey === 'string' && credentials.secretAccessKey.length >= 16, `${what}: secretAccessKey`);
  kit.ok(typeof credentials.sessionToken === 'string' && credentials.sessionToken.length > 0, `${what}: sessionToken`);
  kit.ok(credentials.expiration instanceof Date, `${what}: expiration is a Date`);
  const left = credentials.expiration.getTime() - Date.now();
  kit.ok(left > (seconds - 10) * 1000 && left <= seconds * 1000 + 1000, `${what}: expires in ${left} ms, about ${seconds} s`);
  return credentials;
}

export const identityScenarios = [
  {
    name: 'signed in: GetId then GetCredentialsForIdentity with the id token as the login; later calls reuse them',
    async run(kit) {
      const auth = kit.auth({ identityPoolId: FILES });
      await auth.signIn({ username: 'alice', password: password('alice') });
      kit.sent.length = 0;
      const session = await auth.fetchSession();
      kit.equal(session.tokens.accessToken, auth.tokens.accessToken, 'fetchSession still gives the tokens');
      const credentials = checkCredentials(kit, session, 3600, 'signed in');
      kit.sameJson(kit.sent.map((s) => s.operation), ['GetId', 'GetCredentialsForIdentity'], 'requests');
      kit.sameJson(kit.sent[0].body, { IdentityPoolId: FILES, Logins: { [PROVIDER]: auth.tokens.idToken } }, 'GetId');
      kit.sameJson(kit.sent[1].body, { IdentityId: session.identityId, Logins: { [PROVIDER]: auth.tokens.idToken } }, 'GetCredentialsForIdentity');
      // The identity is the user's: without the login it is refused.
      kit.equal(await kit.openId(session.identityId), 'NotAuthorizedException', "GetOpenIdToken of alice's identity without a login");
      kit.sameJson((await kit.openId(session.identityId, auth.tokens.idToken)).amr[0], 'authenticated', 'amr with the login');
      kit.sent.length = 0;
      const again = await auth.fetchSession();
      kit.sameJson(kit.sent, [], 'fetchSession with fresh credentials sends nothing');
      kit.equal(again.identityId, session.identityId, 'the same identity');
      kit.equal(again.credentials.accessKeyId, credentials.accessKeyId, 'the same credentials');
      kit.ok(again.credentials !== credentials, 'new objects each time');
      const provided = await auth.credentialsProvider()();
      kit.equal(provided.secretAccessKey, credentials.secretAccessKey, 'credentialsProvider gives the same credentials');
      kit.equal(+provided.expiration, +credentials.expiration, 'and expiration');
      kit.sameJson(kit.sent, [], 'the provider sent nothing either');
      await auth.signOut();
    },
  },
  {
    name: 'guests: unauthenticated credentials when allowGuestAccess and the pool allow them; none otherwise',
    async run(kit) {
      const guest = kit.auth({ identityPoolId: FILES, allowGuestAccess: true });
      const session = await guest.fetchSession();
      kit.equal(session.tokens, null, 'no tokens');
      checkCredentials(kit, session, 3600, 'guest');
      kit.sameJson(kit.sent.map((s) => s.body), [{ IdentityPoolId: FILES }, { IdentityId: session.identityId }], 'no Logins are sent');
      kit.sameJson((await kit.openId(session.identityId)).amr, ['unauthenticated'], 'amr of the guest identity');
      const provided = await guest.credentialsProvider()();
      kit.equal(provided.accessKeyId, session.credentials.accessKeyId, 'credentialsProvider gives them too');
      // Without allowGuestAccess (the default), as Amplify: no credentials, no request.
      const closed = kit.auth({ identityPoolId: FILES });
      kit.sent.length = 0;
      kit.sameJson(await closed.fetchSession(), { tokens: null }, 'fetchSession without allowGuestAccess');
      kit.sameJson(kit.sent, [], 'requests without allowGuestAccess');
      const none = await kit.rejects(() => closed.credentialsProvider()(), 'InvalidStateError', 'credentialsProvider with no user and no guests');
      kit.ok(/allowGuestAccess/.test(none.message), `the message names allowGuestAccess: ${none.message}`);
      // A pool that refuses guests: the service's error, named.
      const refused = kit.auth({ identityPoolId: MEMBERS, allowGuestAccess: true });
      const error = await kit.rejects(() => refused.fetchSession(), 'NotAuthorizedException', 'guest of a pool without guests');
      kit.equal(error.message, 'Unauthenticated access is not supported for this identity pool.', 'the message');
      // Unusable settings are a ValidationError, and no request.
      kit.sent.length = 0;
      await kit.rejects(() => kit.auth({ identityPoolId: 'us-east-1_nope', allowGuestAccess: true }).fetchSession(), 'ValidationError', 'bad identityPoolId');
      await kit.rejects(() => kit.auth({}).credentialsProvider()(), 'ValidationError', 'credentialsProvider without identityPoolId');
      kit.sameJson(kit.sent, [], 'requests with bad settings');
      // An unknown pool: the service's ResourceNotFoundException.
      const unknown = kit.auth({ identityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000', allowGuestAccess: true });
      await kit.rejects(() => unknown.fetchSession(), 'ResourceNotFoundException', 'unknown identity pool');
    },
  },
  {
    name: 'a guest who signs in passes the guest identity on: it becomes the user\'s, or merges into the one the user has',
    async run(kit) {
      const auth = kit.auth({ identityPoolId: FILES, allowGuestAccess: true });
      const guest = await auth.fetchSession();
      await auth.signIn({ username: 'bob', password: password('bob') });
      kit.sent.length = 0;
      const bob = await auth.fetchSession();
      kit.sameJson(kit.sent.map((s) => s.body), [{ IdentityId: guest.identityId, Logins: { [PROVIDER]: auth.tokens.idToken } }], 'GetCredentialsForIdentity with the guest identity and the login, no GetId');
      kit.equal(bob.identityId, guest.identityId, "bob (who had no identity) keeps the guest's");
      kit.ok(bob.credentials.accessKeyId !== guest.credentials.accessKeyId, 'new credentials');
      kit.equal(await kit.openId(guest.identityId), 'NotAuthorizedException', 'the identity is no longer a guest');
      await auth.signOut();

      // carol has an identity already; a guest who signs in as carol merges into it.
      const elsewhere = kit.auth({ identityPoolId: FILES });
      await elsewhere.signIn({ username: 'carol', password: password('carol') });
      const carols = (await elsewhere.fetchSession()).identityId;
      const other = kit.auth({ identityPoolId: FILES, allowGuestAccess: true });
      const guest2 = await other.fetchSession();
      kit.ok(guest2.identityId !== carols, 'a new guest identity');
      await other.signIn({ username: 'carol', password: password('carol') });
      const carol = await other.fetchSession();
      kit.equal(carol.identityId, carols, "the guest merged into carol's identity");
      // Back to a guest after signOut: a new identity, not carol's (signOut forgot it).
      await other.signOut();
      const after = await other.fetchSession();
      kit.ok(after.identityId !== carols && after.identityId !== guest2.identityId, 'a new guest identity after signOut');
      await elsewhere.signOut();
    },
  },
  {
    name: 'credentials are renewed before they expire: 60-second ones halfway, 1-hour ones 5 minutes before',
    async run(kit) {
      const auth = kit.auth({ identityPoolId: MINUTE });
      await auth.signIn({ username: 'dave', password: password('dave') });
      const first = checkCredentials(kit, await auth.fetchSession(), 60, '60-second credentials');
      const identityId = (await auth.fetchSession()).identityId;
      kit.sent.length = 0;
      // 29 s later they are kept; 31 s later (within 30 s of expiry) renewed, with the identity kept.
      const at29 = await kit.clockAhead(29_000, () => auth.fetchSession());
      kit.equal(at29.credentials.accessKeyId, first.accessKeyId, 'kept 29 s later');
      kit.sameJson(kit.sent, [], 'no request 29 s later');
      const at31 = await kit.clockAhead(31_000, () => auth.fetchSession());
      kit.ok(at31.credentials.accessKeyId !== first.accessKeyId, 'renewed 31 s later');
      kit.equal(at31.identityId, identityId, 'for the same identity');
      kit.sameJson(kit.sent.map((s) => s.operation), ['GetCredentialsForIdentity'], 'one request, no GetId, no token refresh');
      await auth.signOut();

      const hour = kit.auth({ identityPoolId: FILES });
      await hour.signIn({ username: 'dave', password: password('dave') });
      const kept = (await hour.fetchSession()).credentials;
      kit.sent.length = 0;
      const before = await kit.clockAhead(3_600_000 - 301_000, () => hour.fetchSession());
      kit.equal(before.credentials.accessKeyId, kept.accessKeyId, 'kept until 5 minutes before expiry');
      const within = await kit.clockAhead(3_600_000 - 299_000, () => hour.credentialsProvider()());
      kit.ok(within.accessKeyId !== kept.accessKeyId, 'renewed within 5 minutes of expiry');
      kit.sameJson(kit.sent.map((s) => s.operation), ['GetCredentialsForIdentity'], 'one request');
      await hour.signOut();
    },
  },
  {
    name: 'single flight: concurrent calls share one fetch; forceRefresh renews tokens and credentials once',
    async run(kit) {
      const auth = kit.auth({ identityPoolId: FILES });
      await auth.signIn({ username: 'frank', password: password('frank') });
      kit.sent.length = 0;
      const provider = auth.credentialsProvider();
      const sessions = await Promise.all([
        ...Array.from({ length: 10 }, () => auth.fetchSession()),
        ...Array.from({ length: 10 }, () => provider().then((credentials) => ({ credentials }))),
      ]);
      kit.sameJson(kit.sent.map((s) => s.operation), ['GetId', 'GetCredentialsForIdentity'], 'one fetch for 20 callers');
      kit.equal(new Set(sessions.map((s) => s.credentials.accessKeyId)).size, 1, 'every caller got the same credentials');
      const before = { tokens: auth.tokens.accessToken, key: sessions[0].credentials.accessKeyId };
      kit.sent.length = 0;
      const forced = await Promise.all(Array.from({ length: 10 }, () => auth.fetchSession({ forceRefresh: true })));
      kit.sameJson(kit.sent.map((s) => s.operation), ['GetTokensFromRefreshToken', 'GetCredentialsForIdentity'], 'one refresh of each');
      kit.equal(new Set(forced.map((s) => s.credentials.accessKeyId)).size, 1, 'the same new credentials for all');
      kit.ok(forced[0].credentials.accessKeyId !== before.key, 'new credentials');
      kit.ok(forced[0].tokens.accessToken !== before.tokens, 'new tokens');
      kit.equal(forced[0].identityId, sessions[0].identityId, 'the same identity');
      // The provider's forceRefresh renews the credentials alone.
      kit.sent.length = 0;
      await provider({ forceRefresh: true });
      kit.sameJson(kit.sent.map((s) => s.operation), ['GetCredentialsForIdentity'], "the provider's forceRefresh");
      await auth.signOut();
    },
  },
  {
    name: 'signOut clears the credentials and the identity, here and in storage; a fetch it interrupts keeps nothing',
    async run(kit) {
      const storage = kit.memoryStorage();
      const auth = kit.auth({ identityPoolId: FILES, allowGuestAccess: true, storage });
      await auth.signIn({ username: 'erin', password: password('erin') });
      const erin = await auth.fetchSession();
      const key = `cognito-wasm.${CREDENTIALS_CLIENT}.${FILES}.identity`;
      const stored = JSON.parse(storage.map.get(key));
      kit.equal(stored.identityId, erin.identityId, 'the identity is stored per identity pool');
      kit.equal(stored.credentials.accessKeyId, erin.credentials.accessKeyId, 'with the credentials');
      await auth.signOut();
      kit.ok(!storage.map.has(key), 'signOut removed them from storage');
      const guest = await auth.fetchSession();
      kit.ok(guest.identityId !== erin.identityId, "the next guest does not get erin's identity");
      kit.ok(guest.credentials.accessKeyId !== erin.credentials.accessKeyId, "nor erin's credentials");
      kit.sameJson(kit.sent.at(-2).body, { IdentityPoolId: FILES }, 'a new guest identity (GetId without Logins)');

      // A fetch under way when signOut is called rejects and keeps nothing.
      const members = kit.auth({ identityPoolId: MEMBERS });
      await members.signIn({ username: 'erin', password: password('erin') });
      let release;
      const held = new Promise((resolve) => (release = resolve));
      kit.intercept = async (operation) => {
        if (operation === 'GetCredentialsForIdentity') await held;
        return null;
      };
      const fetching = members.fetchSession();
      await kit.until(() => kit.sent.at(-1)?.operation === 'GetCredentialsForIdentity', 'the fetch has started');
      await members.signOut();
      release();
      await kit.rejects(() => fetching, 'InvalidStateError', 'the fetch signOut interrupted');
      kit.intercept = null;
      kit.sameJson(await members.fetchSession(), { tokens: null }, 'nothing kept after signOut');
    },
  },
  {
    name: 'instances that share a storage share the identity and the credentials, as tabs share the tokens',
    async run(kit) {
      const storage = kit.memoryStorage();
      const a = kit.auth({ identityPoolId: FILES, allowGuestAccess: true, storage });
      const guest = await a.fetchSession();
      // Another instance (another tab, or the page after a reload) takes them from storage.
      const b = kit.auth({ identityPoolId: FILES, allowGuestAccess: true, storage });
      kit.sent.length = 0;
      const fromB = await b.fetchSession();
      kit.sameJson(kit.sent, [], 'no request: the stored guest credentials');
      kit.equal(fromB.identityId, guest.identityId, 'the stored guest identity');
      kit.equal(fromB.credentials.sessionToken, guest.credentials.sessionToken, 'the stored credentials');
      // a renews them; b, asked to renew the ones it had, takes a's instead of fetching again.
      const renewed = await a.fetchSession({ forceRefresh: true });
      kit.sent.length = 0;
      const followed = await b.fetchSession({ forceRefresh: true });
      kit.sameJson(kit.sent, [], "b took a's renewed credentials");
      kit.equal(followed.credentials.accessKeyId, renewed.credentials.accessKeyId, 'the same credentials');
      // A user signs in on a: the stored guest identity passes to her.
      await a.signIn({ username: 'gina', password: password('gina') });
      const gina = await a.fetchSession();
      kit.equal(gina.identityId, guest.identityId, 'the guest identity became gina\'s');
      // Another pool's identity is kept apart.
      const other = kit.auth({ identityPoolId: MINUTE, allowGuestAccess: true, storage });
      kit.ok((await other.fetchSession()).identityId !== guest.identityId, 'another pool, another identity');
      await a.signOut();
    },
  },
];

/** Runs the identity scenario called `name` with the package module `cognito` (its namespace). */
export async function runIdentityScenario(cognito, env, name) {
  const scenario = identityScenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`no identity scenario is called ${JSON.stringify(name)}`);
  await cognito.default();
  const requests = recordRequests();
  const kit = makeKit(cognito, env);
  const realFetch = requests.realFetch;
  kit.sent = [];
  kit.intercept = null;
  requests.intercept = async (operation, init) => {
    kit.sent.push({ operation, body: JSON.parse(init.body) });
    return kit.intercept?.(operation, init) ?? null;
  };
  const baseAuth = kit.auth;
  kit.auth = (overrides) => baseAuth(CREDENTIALS_CLIENT, overrides);
  /** GetOpenIdToken: the token's claims, or the error's name. */
  kit.openId = async (identityId, idToken) => {
    const body = { IdentityId: identityId, ...(idToken ? { Logins: { [PROVIDER]: idToken } } : {}) };
    const answer = await realFetch(env.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityService.GetOpenIdToken' },
      body: JSON.stringify(body),
    });
    const json = await answer.json();
    if (!answer.ok) return json.__type;
    return JSON.parse(atob(json.Token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  };
  /** Runs `call` with this realm's Date.now `ms` ahead (the client's clock; the endpoint's is real). */
  kit.clockAhead = async (ms, call) => {
    const now = Date.now;
    Date.now = () => now() + ms;
    try {
      return await call();
    } finally {
      Date.now = now;
    }
  };
  kit.memoryStorage = () => {
    const map = new Map();
    return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
  };
  kit.until = async (condition, what) => {
    for (let i = 0; i < 200; i++) {
      if (condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${what}: not within 2 s`);
  };
  try {
    await scenario.run(kit);
  } finally {
    requests.intercept = null;
  }
}
