/**
 * Random values and hashes for the login flow. Kept in one place so every secret the link
 * service makes has the same strength and encoding.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A URL-safe random string of `bytes` random bytes (32 bytes → 256 bits, 43 characters). */
export function randomUrlToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Lowercase hex SHA-256: how `state` and completion ids are stored (never in the clear). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
