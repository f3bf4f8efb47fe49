// Reading JWTs without checking them: the session's claims (index.js) and
// the verifier's header and payload (verify.js, which then checks them).

/** base64url (no padding) -> bytes; null when it is not base64url. */
export function bytesOf(part) {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return null;
  try {
    return Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The JSON object a base64url part of a JWT holds (UTF-8); null when it holds anything else. */
export function objectOf(part) {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytesOf(part)));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {}
  return null;
}

/**
 * The claims (the payload) of `token`, header.payload.signature, without
 * checking the signature; null when it is not a JWT. A padded payload is
 * read too, as the service's tokens are only ever unpadded.
 */
export function claimsOf(token) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  return parts.length === 3 ? objectOf(parts[1].replace(/=+$/, '')) : null;
}
