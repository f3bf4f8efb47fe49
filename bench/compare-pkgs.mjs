// Times whole sign-ins through builds of pkg/ (the shipped wasm module and
// its glue, as scripts/build.sh leaves them), interleaved so that machine
// noise hits every build alike:
//
//   cp -r pkg /tmp/pkg-before   # then change something and rebuild
//   node bench/compare-pkgs.mjs /tmp/pkg-before pkg
//
// `fetch` is replaced: InitiateAuth gets the benchmark's PASSWORD_VERIFIER
// challenge (bench/lib/fixture.mjs) and RespondToAuthChallenge a
// NotAuthorizedException, so a sign-in is A = g^a, then the password claim,
// plus the module's request and response handling; no network. Build
// settings that the benchmark's own wasm (bench/wasm, built with cargo's
// release profile) does not share, such as the wasm-release profile's
// link-time level or wasm-opt's flags, show up here.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { drive } from '../js/transport.js';
import { CHALLENGE } from './lib/fixture.mjs';

const dirs = process.argv.slice(2).map((dir) => resolve(dir));
if (dirs.length === 0) {
  console.error('usage: node bench/compare-pkgs.mjs <pkg dir> [<pkg dir> ...]');
  process.exit(2);
}
const ROUNDS = Number(process.env.ROUNDS ?? 60);

globalThis.fetch = async (_url, init) => {
  if (init.headers['X-Amz-Target'].endsWith('.InitiateAuth')) {
    const ChallengeParameters = {
      SALT: CHALLENGE.saltHex,
      SRP_B: CHALLENGE.srpBHex,
      SECRET_BLOCK: CHALLENGE.secretBlockB64,
      USER_ID_FOR_SRP: 'user',
      USERNAME: 'user',
    };
    return new Response(JSON.stringify({ ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters }));
  }
  const body = JSON.stringify({ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  return new Response(body, { status: 400 });
};

const clients = [];
for (const dir of dirs) {
  const glue = await import(pathToFileURL(`${dir}/cognito_wasm.js`).href);
  await glue.default({ module_or_path: readFileSync(`${dir}/cognito_wasm_bg.wasm`) });
  const Client = glue.Client ?? glue.CognitoAuth; // the sign-in module's class (CognitoAuth before the session moved to JS)
  // The options, the writer of remembered devices, ConfirmDevice's DeviceName, the transport (builds before it ignore the rest).
  const options = { userPoolId: 'us-east-1_Pool', clientId: 'client', endpoint: 'http://127.0.0.1:9/' };
  clients.push(new Client(options, () => {}, 'bench', { drive }));
}

async function signIn(auth) {
  const start = performance.now();
  const error = await auth.signIn({ username: 'user', password: 'password' }).then(
    () => new Error('the sign-in succeeded against a server that refuses it'),
    (e) => e,
  );
  if (error.name !== 'NotAuthorizedException') throw error;
  return performance.now() - start;
}

for (const auth of clients) for (let i = 0; i < 10; i++) await signIn(auth);
const samples = clients.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, auth] of clients.entries()) samples[i].push(await signIn(auth));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [i, dir] of dirs.entries()) {
  const wasm = readFileSync(`${dir}/cognito_wasm_bg.wasm`).length;
  console.log(`${dir}: sign-in median ${median(samples[i]).toFixed(2)} ms, min ${Math.min(...samples[i]).toFixed(2)} ms (${ROUNDS} rounds; wasm ${wasm} bytes)`);
}
