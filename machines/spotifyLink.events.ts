/**
 * The events of a Telegram user's Spotify link (stream `link-<telegramUserId>`), all at version 1
 * except `GrantReceived@2` (personal data sealed; `@1` is upcast by the registry in `src/link/linkLog.ts`).
 *
 * Every event's `data` carries `at` (epoch ms, taken from the command's `now`) so the machine
 * never reads a clock. Secret material and personal data (the Spotify user id and display
 * name) appear only as {@link Sealed} strings produced by the
 * token vault under the link's data key `keyId`; `state` and the completion id appear only as
 * SHA-256 hashes (64 lowercase hex chars). Schemas are strict: an unknown field is an error, so
 * nothing unsealed can slip into the log by accident.
 *
 * Every event is `{ type, data }`, as the event log stores it (which adds `v` and `meta`).
 *
 * @module
 */
import { z } from 'zod';
import { DomainError } from './domainError.ts';

/** Epoch milliseconds (a safe, non-negative integer). */
const EpochMs = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Generated ids (attempt, data key, refresh): printable ASCII without spaces, ≤ 128 chars. */
const Id = z.string().regex(/^[\x21-\x7e]{1,128}$/);
/** A SHA-256 digest as 64 lowercase hex characters. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex chars');
/** A Telegram user id. */
const TelegramUserId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Scopes = z.array(z.string().min(1).max(128)).max(64);

/**
 * Ciphertext from the token vault (opaque text, AES-256-GCM under the link's data key). The
 * machine and projections only copy it; they never decrypt. Non-empty by construction.
 */
export const SealedSchema = z.string().min(1).brand<'Sealed'>();
/** An opaque, non-empty sealed string (see {@link SealedSchema}). */
export type Sealed = z.infer<typeof SealedSchema>;

/**
 * Marks vault output as {@link Sealed}.
 * @throws `DomainError('INVALID_COMMAND')` when `text` is empty.
 * @example const verifier = asSealed(vault.seal(keyId, rawVerifier));
 */
export function asSealed(text: string): Sealed {
  const result = SealedSchema.safeParse(text);
  if (!result.success) throw new DomainError('INVALID_COMMAND', { paths: ['(sealed)'] });
  return result.data;
}

/** `LoginStarted@1`: emitted by `startLogin` (the bot's `/login`). */
export const LoginStartedV1 = z.strictObject({
  at: EpochMs,
  attemptId: Id,
  /** The data key of this attempt; it becomes the link's key when the grant is confirmed. */
  keyId: Id,
  stateHash: Sha256Hex,
  verifier: SealedSchema,
  expiresAt: EpochMs,
  /** True when a link already exists (re-link): it stays usable until the new one is confirmed. */
  relink: z.boolean(),
});

/** `LoginDenied@1`: emitted by `denyLogin` (the HTTP callback got `error=…` instead of a code). */
export const LoginDeniedV1 = z.strictObject({
  at: EpochMs,
  attemptId: Id,
  /** The OAuth `error` value; only a safe token such as `access_denied`. */
  error: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
});

/** `GrantReceived@1`: emitted by `recordGrant` (the HTTP callback, after code exchange and `GET /me`). */
export const GrantReceivedV1 = z.strictObject({
  at: EpochMs,
  attemptId: Id,
  completionHash: Sha256Hex,
  completionExpiresAt: EpochMs,
  spotifyUserId: z.string().min(1).max(256),
  /** Spotify's `display_name`, which Spotify may leave null. */
  displayName: z.string().max(256).nullable(),
  scopes: Scopes,
  accessToken: SealedSchema,
  refreshToken: SealedSchema,
  accessExpiresAt: EpochMs,
});

/**
 * Marks a personal value (Spotify user id, display name) that a `GrantReceived@1` stored in
 * plaintext: the upcaster to version 2 prefixes it so it can never be taken for a sealed
 * value (those start with `v1.`). Such values stay readable after `/unlink`: the log is
 * append-only and they were never sealed.
 */
export const LEGACY_PLAINTEXT_PREFIX = 'plain:';

/**
 * What Spotify granted, as the link keeps it: declared once, here; the machine's `LinkGrant`,
 * the `recordGrant` command and the token rows derive from it. Secrets and personal data are
 * sealed under the attempt's data key (AAD the Telegram user id), so `/unlink` shreds them.
 */
export const GrantFields = z.strictObject({
  /** Sealed (or, upcast from `GrantReceived@1`, {@link LEGACY_PLAINTEXT_PREFIX}`<plaintext>`). */
  spotifyUserId: SealedSchema,
  /** Spotify's `display_name`, sealed like `spotifyUserId`; null when Spotify left it null. */
  displayName: SealedSchema.nullable(),
  scopes: Scopes,
  accessToken: SealedSchema,
  refreshToken: SealedSchema,
  accessExpiresAt: EpochMs,
});
/** The fields of a grant (see {@link GrantFields}). */
export type LinkGrantFields = z.infer<typeof GrantFields>;

/**
 * `GrantReceived@2`: as version 1, but the Spotify user id and display name are sealed like
 * the tokens (see {@link GrantFields}).
 */
export const GrantReceivedV2 = z.strictObject({
  at: EpochMs,
  attemptId: Id,
  completionHash: Sha256Hex,
  completionExpiresAt: EpochMs,
  ...GrantFields.shape,
});

/** `GrantReceived@1` → `@2`: marks the plaintext personal values (nothing can be sealed here). */
export function upcastGrantReceivedV1(data: z.infer<typeof GrantReceivedV1>): z.input<typeof GrantReceivedV2> {
  return {
    ...data,
    spotifyUserId: `${LEGACY_PLAINTEXT_PREFIX}${data.spotifyUserId}`,
    displayName: data.displayName === null ? null : `${LEGACY_PLAINTEXT_PREFIX}${data.displayName}`,
  };
}

/** `LinkConfirmed@1`: emitted by `confirmLink` (`/start <completion id>` from the same Telegram user). */
export const LinkConfirmedV1 = z.strictObject({ at: EpochMs, attemptId: Id });

/** `LinkRejected@1`: emitted by `confirmLink` from another Telegram user, or by `rejectLink`. */
export const LinkRejectedV1 = z.strictObject({
  at: EpochMs,
  attemptId: Id,
  reason: z.literal('foreignTelegramUser'),
  byUserId: TelegramUserId,
});

/** `LoginExpired@1`: emitted by `expireLogin` (a sweeper), or by a callback/confirmation that came too late. */
export const LoginExpiredV1 = z.strictObject({ at: EpochMs, attemptId: Id });

/** `RefreshStarted@1`: emitted by `startRefresh` (`getAccessToken` before the access token runs out). */
export const RefreshStartedV1 = z.strictObject({ at: EpochMs, refreshId: Id });

/** `TokensRefreshed@1`: emitted by `completeRefresh` (the refresh effect got new tokens). */
export const TokensRefreshedV1 = z.strictObject({
  at: EpochMs,
  refreshId: Id,
  accessToken: SealedSchema,
  /** Absent when Spotify kept the old refresh token (client-secret flow). */
  refreshToken: SealedSchema.optional(),
  accessExpiresAt: EpochMs,
  scopes: Scopes.optional(),
});

/** Why a refresh ended without new tokens; `interrupted` marks a refresh lost to a crash. */
export const RefreshFailureReason = z.enum(['unavailable', 'rateLimited', 'timeout', 'interrupted']);

/** `RefreshFailed@1`: emitted by `failRefresh` (a temporary failure) or `startRefresh` with `recover`. */
export const RefreshFailedV1 = z.strictObject({
  at: EpochMs,
  refreshId: Id,
  reason: RefreshFailureReason,
  retryAfterSec: z.number().int().nonnegative().optional(),
});

/** Why a link was revoked. */
export const RevocationReason = z.enum(['invalidGrant', 'refreshTokenExpired']);

/** `AccessRevoked@1`: emitted by `revokeAccess` (the refresh effect saw `invalid_grant`). */
export const AccessRevokedV1 = z.strictObject({ at: EpochMs, reason: RevocationReason });

/** `RelinkReminderSent@1`: emitted by `sendRelinkReminder` (a scheduler, around day 170). */
export const RelinkReminderSentV1 = z.strictObject({ at: EpochMs });

/** `Unlinked@1`: emitted by `unlink` (the bot's `/unlink`). */
export const UnlinkedV1 = z.strictObject({ at: EpochMs, reason: z.literal('user') });

/**
 * The `data` schema of every link event type at its current version. The event log's
 * registry (`src/link/linkLog.ts`) adds the older versions and their upcasters.
 */
export const linkEventData = {
  LoginStarted: LoginStartedV1,
  LoginDenied: LoginDeniedV1,
  GrantReceived: GrantReceivedV2,
  LinkConfirmed: LinkConfirmedV1,
  LinkRejected: LinkRejectedV1,
  LoginExpired: LoginExpiredV1,
  RefreshStarted: RefreshStartedV1,
  TokensRefreshed: TokensRefreshedV1,
  RefreshFailed: RefreshFailedV1,
  AccessRevoked: AccessRevokedV1,
  RelinkReminderSent: RelinkReminderSentV1,
  Unlinked: UnlinkedV1,
} as const;

/** The name of a link event type, e.g. `'LoginStarted'`. */
export type LinkEventType = keyof typeof linkEventData;
/** The `data` of the link event `T` (its current version). */
export type LinkEventData<T extends LinkEventType> = z.output<(typeof linkEventData)[T]>;
/**
 * A link event: `{ type, data }`, the one shape from `decide` through the event log to the
 * projections and this machine (a stored envelope adds `v` and `meta` and is one too).
 */
export type LinkEvent = { [T in LinkEventType]: { type: T; data: LinkEventData<T> } }[LinkEventType];
/** The link event of type `T`. */
export type LinkEventOf<T extends LinkEventType> = Extract<LinkEvent, { type: T }>;

/** Every link event type. */
export const LINK_EVENT_TYPES = Object.keys(linkEventData) as LinkEventType[];
