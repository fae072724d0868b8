/**
 * Master keys: 32-byte AES keys from the environment that wrap the per-link data keys.
 * Each carries an id derived from the key itself (first 8 hex digits of
 * SHA-256("kid" ‖ key)), so a wrapped data key records which master key wrapped it and a
 * ring of several keys can be rotated (see docs/eventlog.md).
 *
 * @module
 */
import { createHash, createHmac } from 'node:crypto';
import { InvalidMasterKeyError } from './errors.ts';

/** A master key and its derived id. */
export interface MasterKey {
  readonly id: string;
  readonly key: Uint8Array;
}

/** The id of a master key: not secret, stable, 8 hex digits. */
export function masterKeyId(key: Uint8Array): string {
  return createHash('sha256').update('kid').update(key).digest('hex').slice(0, 8);
}

/** Wraps raw key bytes (exactly 32) into a {@link MasterKey}. */
export function masterKey(key: Uint8Array): MasterKey {
  if (key.length !== 32) throw new InvalidMasterKeyError(`a master key is 32 bytes, got ${key.length}`);
  return { id: masterKeyId(key), key: Uint8Array.from(key) };
}

/**
 * Parses base64 (standard or url-safe) of 32 random bytes, e.g. from `TOKEN_ENCRYPTION_KEY`.
 * The error names the problem, never the value.
 * @example
 * const key = masterKeyFromBase64(process.env.TOKEN_ENCRYPTION_KEY!);
 */
export function masterKeyFromBase64(text: string): MasterKey {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new InvalidMasterKeyError('not base64');
  return masterKey(Buffer.from(trimmed.replaceAll('-', '+').replaceAll('_', '/'), 'base64'));
}

/**
 * Parses a comma-separated list of base64 master keys; the first is the active one.
 * @example
 * parseMasterKeyRing('NEW_KEY_B64,OLD_KEY_B64') // [new (active), old]
 */
export function parseMasterKeyRing(text: string): MasterKey[] {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length === 0) throw new InvalidMasterKeyError('no key given');
  return parts.map((p, i) => {
    try {
      return masterKeyFromBase64(p);
    } catch (err) {
      throw new InvalidMasterKeyError(`key #${i + 1}: ${(err as Error).message.replace(/^invalid master key: /, '')}`);
    }
  });
}

/** Key check value: proves at open that a configured key is the one that wrapped keys before. */
export function keyCheckValue(key: Uint8Array): string {
  return createHmac('sha256', key).update('eventlog vault key check v1').digest('hex').slice(0, 32);
}
