/**
 * What the Spotify link machine remembers between events (its XState context), and the
 * domain's time rules. Plain JSON data only: the context is persisted and compared by value.
 *
 * @module
 */
import type { LinkGrantFields, Sealed } from './spotifyLink.events.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** How long a `/login` attempt waits for the OAuth callback (10 minutes). */
export const LOGIN_TTL_MS = 10 * MINUTE;
/** How long a received grant waits for `/start <completion id>` (10 minutes after the callback). */
export const COMPLETION_TTL_MS = 10 * MINUTE;
/**
 * Spotify refresh tokens expire 6 months after the login and refreshing does not extend them;
 * we count 180 days from the grant (`GrantReceived.at`), a conservative reading of "6 months".
 */
export const REFRESH_TOKEN_LIFETIME_MS = 180 * DAY;
/** The re-link reminder is due this long after the grant (day 170 of 180). */
export const RELINK_REMINDER_AFTER_MS = 170 * DAY;

/** Tokens and identity Spotify handed us for a grant. Sealed strings are never decrypted here. */
export interface LinkGrant extends LinkGrantFields {
  /** When the code exchange happened (`GrantReceived.at`): the refresh token's birth time. */
  grantedAt: number;
}

/** A login in progress: from `LoginStarted` until it is confirmed or ends. */
export interface LinkAttempt {
  attemptId: string;
  /** Data key sealing the verifier and the grant; becomes the link's key on confirmation. */
  keyId: string;
  stateHash: string;
  verifier: Sealed;
  startedAt: number;
  /** The callback must arrive before this instant. */
  expiresAt: number;
  /** True when a link already existed when the attempt started. */
  relink: boolean;
  /** Set by `GrantReceived`: the hash of the single-use completion id. */
  completionHash: string | null;
  /** Set by `GrantReceived`: `/start` must arrive before this instant. */
  completionExpiresAt: number | null;
  /** Set by `GrantReceived`: waits here until the owner confirms. */
  grant: LinkGrant | null;
}

/** The confirmed link whose tokens the bot uses. */
export interface CurrentLink extends LinkGrant {
  keyId: string;
  linkedAt: number;
  /** `grantedAt` + {@link REFRESH_TOKEN_LIFETIME_MS}; refreshes do not move it. */
  refreshExpiresAt: number;
  /** `grantedAt` + {@link RELINK_REMINDER_AFTER_MS}. */
  reminderDueAt: number;
  reminderSent: boolean;
}

/** The last refresh that ended without new tokens (kept until the next success or new link). */
export interface RefreshFailure {
  reason: 'unavailable' | 'rateLimited' | 'timeout' | 'interrupted';
  retryAfterSec: number | null;
  at: number;
}

/**
 * The machine's context.
 *
 * Invariants: `attempt` is non-null exactly in `awaitingCallback`; `refreshId` is non-null
 * exactly in `refreshing`; `link` is non-null in `linked` and `refreshing` (and in
 * `awaitingCallback` during a re-link).
 *
 * Its size is bounded whatever the history: at most two data keys are remembered (the link's
 * and the attempt's, see {@link liveKeyIds}). A key that stops being live is shredded in the
 * same batch as the event that ends it (`keysToShred`), so no list of ended keys is kept.
 */
export interface LinkContext {
  attempt: LinkAttempt | null;
  link: CurrentLink | null;
  /** The refresh in flight, if any. */
  refreshId: string | null;
  lastRefreshFailure: RefreshFailure | null;
  /** Why the link was revoked; set only while in `revoked`. */
  revocationReason: 'invalidGrant' | 'refreshTokenExpired' | null;
  /** `at` of the last applied event. */
  lastEventAt: number | null;
}

/** The context of a user who never linked. */
export function emptyLinkContext(): LinkContext {
  return {
    attempt: null,
    link: null,
    refreshId: null,
    lastRefreshFailure: null,
    revocationReason: null,
    lastEventAt: null,
  };
}

/** The data keys still protecting something in `context` (attempt and link). */
export function liveKeyIds(context: LinkContext): string[] {
  const keys: string[] = [];
  if (context.link) keys.push(context.link.keyId);
  if (context.attempt) keys.push(context.attempt.keyId);
  return keys;
}

/** The instant the current attempt expires: the completion deadline once a grant is in. */
export function attemptDeadline(attempt: LinkAttempt): number {
  return attempt.completionExpiresAt ?? attempt.expiresAt;
}
