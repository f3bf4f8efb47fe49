// The WebAuthn ceremonies of passkeys: a chunk of its own, which index.js
// imports the first time a sign-in or a registration needs one, so that
// apps without passkeys never load it.
//
// Each ceremony takes the options the service gave as JSON text (WebAuthn
// Level 3's PublicKeyCredentialRequestOptionsJSON or ...CreationOptionsJSON:
// binary fields in base64url), runs navigator.credentials.get or .create,
// and resolves to the credential as JSON text, the encoding Cognito reads
// (AuthenticationResponseJSON, RegistrationResponseJSON): the browser's
// `toJSON()` where it has one, else the same encoding made here (as Amplify
// v6's `utils/passkey/serde.ts` does).
//
// A ceremony that fails rejects with an Error named as Amplify v6 names
// them (`PasskeyError`): PasskeyAuthenticationCanceled and
// PasskeyRegistrationCanceled (NotAllowedError: the prompt was dismissed or
// timed out, or the authenticator did not verify the user),
// PasskeyOperationAborted (AbortError: the `signal` was aborted),
// RelyingPartyMismatch (SecurityError: the relying party id is not this
// page's domain), PasskeyAlreadyExists (InvalidStateError: the
// authenticator already holds a passkey of this user), PasskeyNotSupported
// (no WebAuthn here, or no conditional mediation), PasskeyRetrievalFailed
// and PasskeyRegistrationFailed (anything else); the browser's error is the
// `cause`. Options that are not WebAuthn JSON are an InvalidServerResponse.

/**
 * navigator.credentials.get with the service's request options, for
 * `signIn` and `confirmSignIn`; `input` is their input, whose `mediation`
 * ('conditional': passkey autofill) and `signal` (an AbortSignal) go with
 * it, top-level or in `options` as Amplify v6 nests its options.
 */
export async function get(optionsJson, input) {
  const options = input?.options;
  const mediation = input?.mediation ?? options?.mediation;
  const signal = input?.signal ?? options?.signal;
  const publicKey = parse(optionsJson, 'parseRequestOptionsFromJSON', (json) => ({
    ...json,
    challenge: bytes(json.challenge),
    allowCredentials: (json.allowCredentials ?? []).map((credential) => ({ ...credential, id: bytes(credential.id) })),
  }));
  const credential = await ceremony('get', { publicKey, mediation, signal }, 'PasskeyAuthenticationCanceled', 'PasskeyRetrievalFailed');
  return serialize(credential, (response) => ({
    clientDataJSON: base64url(response.clientDataJSON),
    authenticatorData: base64url(response.authenticatorData),
    signature: base64url(response.signature),
    ...(response.userHandle && { userHandle: base64url(response.userHandle) }),
  }));
}

/** navigator.credentials.create with the service's creation options, for associateWebAuthnCredential. */
export async function create(optionsJson) {
  const publicKey = parse(optionsJson, 'parseCreationOptionsFromJSON', (json) => ({
    ...json,
    challenge: bytes(json.challenge),
    user: { ...json.user, id: bytes(json.user?.id) },
    excludeCredentials: (json.excludeCredentials ?? []).map((credential) => ({ ...credential, id: bytes(credential.id) })),
  }));
  const credential = await ceremony('create', { publicKey }, 'PasskeyRegistrationCanceled', 'PasskeyRegistrationFailed');
  return serialize(credential, (response) => {
    const key = response.getPublicKey?.();
    return {
      clientDataJSON: base64url(response.clientDataJSON),
      attestationObject: base64url(response.attestationObject),
      transports: response.getTransports?.() ?? [],
      publicKeyAlgorithm: response.getPublicKeyAlgorithm?.(),
      authenticatorData: response.getAuthenticatorData && base64url(response.getAuthenticatorData()),
      ...(key && { publicKey: base64url(key) }),
    };
  });
}

/** Runs navigator.credentials[method](request), naming its failures. */
async function ceremony(method, request, canceled, failed) {
  const credentials = globalThis.navigator?.credentials;
  if (!globalThis.PublicKeyCredential || typeof credentials?.[method] !== 'function') {
    throw named('PasskeyNotSupported', 'passkeys need WebAuthn (navigator.credentials) in a secure context (https, or http on localhost)');
  }
  let credential;
  try {
    credential = await credentials[method](request);
  } catch (cause) {
    throw failure(cause, canceled, failed, request.publicKey);
  }
  if (!credential?.response) throw named(failed, `navigator.credentials.${method} gave no public-key credential`);
  return credential;
}

/** The named Error of a ceremony the browser refused. */
function failure(cause, canceled, failed, publicKey) {
  const rpId = publicKey.rpId ?? publicKey.rp?.id;
  const [name, message] = {
    NotAllowedError: [
      canceled,
      canceled === 'PasskeyRegistrationCanceled'
        ? 'the passkey prompt was dismissed or timed out, or the authenticator did not verify the user; call associateWebAuthnCredential again'
        : "the passkey prompt was dismissed or timed out, or the authenticator did not verify the user; call confirmSignIn({ challengeResponse: 'WEB_AUTHN' }) to try again, or signIn to sign in another way",
    ],
    AbortError: ['PasskeyOperationAborted', 'the passkey ceremony was aborted (its signal)'],
    SecurityError: [
      'RelyingPartyMismatch',
      `the user pool's passkey relying party id (${rpId}) is not this page's domain (${globalThis.location?.hostname}) nor one it belongs to`,
    ],
    InvalidStateError: ['PasskeyAlreadyExists', 'this authenticator already holds a passkey of this user'],
    NotSupportedError: ['PasskeyNotSupported', `this browser cannot run this passkey ceremony (${cause?.message})`],
  }[cause?.name] ?? [failed, `the passkey ceremony failed: ${cause?.name}: ${cause?.message}`];
  return named(name, message, cause);
}

/**
 * The service's options (JSON text) as the browser takes them: with its
 * parser where it has one (WebAuthn Level 3), else decoded by `byHand`.
 */
function parse(text, parser, byHand) {
  try {
    const json = JSON.parse(text);
    if (typeof json?.challenge !== 'string') throw new TypeError('no challenge');
    return globalThis.PublicKeyCredential?.[parser] ? PublicKeyCredential[parser](json) : byHand(json);
  } catch (cause) {
    throw named('InvalidServerResponse', `the service's passkey options are not WebAuthn JSON (${cause?.message})`, cause);
  }
}

/** The credential's JSON text: `toJSON()`, else its members as toJSON gives them, `response` by `encode`. */
function serialize(credential, encode) {
  if (typeof credential.toJSON === 'function') return JSON.stringify(credential.toJSON());
  return JSON.stringify({
    id: credential.id,
    rawId: base64url(credential.rawId),
    type: credential.type,
    response: encode(credential.response),
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
    ...(credential.authenticatorAttachment && { authenticatorAttachment: credential.authenticatorAttachment }),
  });
}

/** base64url text as bytes; anything else throws. */
function bytes(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) throw new TypeError('a binary field is not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Bytes (an ArrayBuffer or a view) as base64url, without padding. */
function base64url(buffer) {
  const view = ArrayBuffer.isView(buffer) ? buffer : new Uint8Array(buffer);
  const data = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let binary = '';
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function named(name, message, cause) {
  const error = new Error(message, { cause });
  error.name = name;
  return error;
}
