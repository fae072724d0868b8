/**
 * PKCE (RFC 7636) with the S256 method, as Spotify's authorize endpoint expects.
 *
 * Invariants: the verifier is 86 characters of base64url from 64 random bytes (inside the
 * 43–128 range of RFC 7636 §4.1); the challenge is base64url(SHA-256(verifier)) without padding.
 * The verifier is a secret: store it encrypted and never log it; the challenge is public.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A verifier (secret, kept until the code exchange) and its public S256 challenge. */
export interface PkcePair {
  verifier: string;
  challenge: string;
}

/**
 * Makes a fresh PKCE pair.
 *
 * @example
 * ```ts
 * const { verifier, challenge } = createPkcePair();
 * const url = accounts.authorizeUrl({ state, codeChallenge: challenge, showDialog: false });
 * // later: accounts.exchangeCode({ code, codeVerifier: verifier })
 * ```
 */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

/** The S256 challenge of a verifier: base64url(SHA-256(ASCII(verifier))). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
