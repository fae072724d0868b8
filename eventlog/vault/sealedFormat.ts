/**
 * Text formats of the vault: the sealed value handed to callers and the wrapped data key
 * record stored in the `vault/keys` keyspace, plus the associated data each binds.
 *
 * Sealed value: `v1.<data key id, 8 hex>.<base64url(iv | ciphertext | tag)>` – compact,
 * JSON- and URL-safe, and versioned so the format can change later.
 *
 * @module
 */

/** Current sealed-value format. */
export const SEALED_VERSION = 'v1';

const SEALED = /^v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]{38,})$/;

/** The parts of a sealed value. */
export interface SealedParts {
  dataKeyId: string;
  box: Buffer;
}

/** Formats a sealed value. */
export function formatSealed(dataKeyId: string, box: Buffer): string {
  return `${SEALED_VERSION}.${dataKeyId}.${box.toString('base64url')}`;
}

/** Parses a sealed value; undefined when it is not one. */
export function parseSealed(text: string): SealedParts | undefined {
  const m = typeof text === 'string' ? SEALED.exec(text) : null;
  if (!m) return undefined;
  return { dataKeyId: m[1]!, box: Buffer.from(m[2]!, 'base64url') };
}

/** Associated data of a sealed value: the format, the link and the caller's AAD. */
export function sealAad(linkId: string, aad: string): Buffer {
  return Buffer.from(`vault:${SEALED_VERSION}\0${linkId}\0${aad}`, 'utf8');
}

/** A wrapped data key as stored: which master key wrapped it, its id, and the box. */
export interface WrappedKey {
  /** Record format. */
  f: 1;
  /** Master key id. */
  mk: string;
  /** Data key id (random, 8 hex), repeated in every sealed value. */
  dk: string;
  /** base64url(iv | wrapped key | tag). */
  box: string;
}

/** Associated data of a wrapped data key: binds it to its link id and data key id. */
export function wrapAad(linkId: string, dataKeyId: string): Buffer {
  return Buffer.from(`vault-dk:1\0${linkId}\0${dataKeyId}`, 'utf8');
}

/** Parses a stored wrapped key record; undefined when it is malformed. */
export function parseWrapped(raw: string): WrappedKey | undefined {
  try {
    const r = JSON.parse(raw) as Partial<WrappedKey>;
    if (r.f === 1 && typeof r.mk === 'string' && typeof r.dk === 'string' && typeof r.box === 'string') return r as WrappedKey;
  } catch {
    // fall through: malformed
  }
  return undefined;
}
