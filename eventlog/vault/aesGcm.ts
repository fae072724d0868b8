/**
 * AES-256-GCM with a random 12-byte IV: the one cipher of the vault, used both to seal
 * values with data keys and to wrap data keys with master keys.
 *
 * Layout of a box: `iv (12) | ciphertext | tag (16)`.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts `plaintext` under `key` (32 bytes), binding `aad`. */
export function gcmSeal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** Decrypts a box made by {@link gcmSeal}; undefined when it is altered or `key`/`aad` differ. */
export function gcmOpen(key: Uint8Array, box: Uint8Array, aad: Uint8Array): Buffer | undefined {
  if (box.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, box.subarray(0, IV_BYTES));
    decipher.setAAD(aad);
    decipher.setAuthTag(box.subarray(box.length - TAG_BYTES));
    return Buffer.concat([decipher.update(box.subarray(IV_BYTES, box.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}
