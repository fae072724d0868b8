/**
 * Redaction of event data for printing: every sealed string (tokens, PKCE verifier) and every
 * hash (of an OAuth `state` or a completion id) becomes {@link REDACTED}; so do the Spotify user
 * id and display name, sealed since `GrantReceived@2` (the replay tool holds no data key, and
 * after `/unlink` nobody does). Ids, times, scopes and reasons stay – they are what an operator
 * debugs with.
 *
 * Three independent nets, so that a field added to an event later cannot slip through:
 * 1. the event's schema: a field declared as `SealedSchema` or `Sha256Hex` is secret;
 * 2. a list of secret field names (the logger's names plus the hash fields);
 * 3. the shape of the value: a sealed string (`v1.<key>.<base64url>`) or 64 hex chars.
 *
 * @module
 */
import { z } from 'zod';
import { linkEventData, SealedSchema, Sha256Hex } from '../../../machines/spotifyLink.events.ts';
import { SECRET_KEYS } from '../../log.ts';

/** What a secret prints as. */
export const REDACTED = '‹redacted›';

const HASH_FIELDS = new Set(['statehash', 'completionhash']);
/** The vault's sealed format, and any long hex digest. */
const SECRET_SHAPES = [/^v\d+\.[^.\s]+\.[A-Za-z0-9_-]{16,}$/, /^[0-9a-f]{40,}$/i];

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  return s;
}

/** Per event type, the fields its schema declares as sealed or hashed. */
const SCHEMA_SECRETS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(linkEventData).map(([type, schema]) => [
    type,
    new Set(
      Object.entries(schema.shape as Record<string, z.ZodType>)
        .filter(([, field]) => {
          const inner = unwrap(field);
          return inner === SealedSchema || inner === Sha256Hex;
        })
        .map(([name]) => name),
    ),
  ]),
);

const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

/** True when `field` of an event of `type` holds a secret by name or by schema. */
export function isSecretField(type: string, field: string): boolean {
  const k = normalise(field);
  return SCHEMA_SECRETS.get(type)?.has(field) === true || SECRET_KEYS.has(k) || HASH_FIELDS.has(k);
}

/** True when a string looks like a sealed value or a digest, whatever field it sits in. */
export function looksSecret(value: string): boolean {
  return SECRET_SHAPES.some((re) => re.test(value));
}

function redactValue(type: string, field: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (isSecretField(type, field)) return REDACTED;
  if (typeof value === 'string') return looksSecret(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((v) => redactValue(type, field, v));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(type, k, v)]));
  }
  return value;
}

/**
 * A copy of an event's `data` with every secret replaced by {@link REDACTED}.
 * @example redactEventData('GrantReceived', data).accessToken === '‹redacted›'
 */
export function redactEventData(type: string, data: unknown): Record<string, unknown> {
  const out = redactValue(type, '', data);
  return typeof out === 'object' && out !== null && !Array.isArray(out) ? (out as Record<string, unknown>) : { value: out };
}

/**
 * A copy of `value` with every sealed- or digest-shaped string replaced by {@link REDACTED},
 * whatever its field name (a summary's `state` is a machine state, not an OAuth state).
 * @example redactSecretShapes({ link: { spotifyUserId: 'v1.0a1b2c3d.…' } }).link.spotifyUserId === '‹redacted›'
 */
export function redactSecretShapes<T>(value: T): T {
  if (typeof value === 'string') return (looksSecret(value) ? REDACTED : value) as T;
  if (Array.isArray(value)) return value.map((v) => redactSecretShapes(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecretShapes(v)])) as T;
  }
  return value;
}
