/**
 * The commands of the Spotify link domain: what `src/link` asks {@link decide} to do. Each one
 * carries everything the decision needs – the instant `now` (epoch ms), freshly generated ids,
 * sealed strings, hashes and the acting Telegram user – because `decide` reads no clock and
 * draws no random numbers. Deadlines (`expiresAt`, `completionExpiresAt`) are not passed in:
 * `decide` derives them from `now` and the domain's TTLs.
 *
 * @module
 */
import type { LinkGrantFields, Sealed } from '../../machines/spotifyLink.events.ts';

interface At {
  /** The instant the command is decided at (epoch ms); becomes the events' `at`. */
  now: number;
}

/** `/login`: start (or restart) a login; a waiting attempt is superseded. */
export interface StartLogin extends At {
  type: 'startLogin';
  attemptId: string;
  /** A new data key that seals the verifier now and the grant later. */
  keyId: string;
  /** SHA-256 hex of the random `state` (≥ 128 bits). */
  stateHash: string;
  /** The PKCE verifier sealed under `keyId`. */
  verifier: Sealed;
}

/** The callback exchanged the code and read `GET /me`: hold the grant (sealed under the attempt's key) for confirmation. */
export interface RecordGrant extends At, LinkGrantFields {
  type: 'recordGrant';
  stateHash: string;
  /** SHA-256 hex of the random single-use completion id put in the `/start` deep link. */
  completionHash: string;
}

/** The callback came back with `error=…` (e.g. `access_denied`). */
export interface DenyLogin extends At {
  type: 'denyLogin';
  stateHash: string;
  error: string;
}

/** `/start <completion id>`: link if the sender owns the stream, reject otherwise. */
export interface ConfirmLink extends At {
  type: 'confirmLink';
  completionHash: string;
  /** The Telegram user who sent `/start`. */
  actingUserId: number;
  /** The Telegram user whose stream this is (`link-<ownerUserId>`). */
  ownerUserId: number;
}

/** A caller that already knows the deep link was opened by someone else. */
export interface RejectLink extends At {
  type: 'rejectLink';
  completionHash: string;
  byUserId: number;
}

/** A sweeper or timer: end the attempt `attemptId` if its deadline has passed. */
export interface ExpireLogin extends At {
  type: 'expireLogin';
  attemptId: string;
}

/**
 * `accessToken` is about to call Spotify. With `recover: true` a refresh left in flight
 * by a crash is first closed as `RefreshFailed { reason: 'interrupted' }` (use it on start-up
 * for every stream found in `refreshing`).
 */
export interface StartRefresh extends At {
  type: 'startRefresh';
  refreshId: string;
  recover?: boolean;
}

/** The refresh effect got new tokens (sealed under the link's key). */
export interface CompleteRefresh extends At {
  type: 'completeRefresh';
  refreshId: string;
  accessToken: Sealed;
  /** Omitted when Spotify kept the old refresh token. */
  refreshToken?: Sealed;
  accessExpiresAt: number;
  scopes?: string[];
}

/** The refresh effect gave up for now (5xx, 429, timeout, or a crash). */
export interface FailRefresh extends At {
  type: 'failRefresh';
  refreshId: string;
  reason: 'unavailable' | 'rateLimited' | 'timeout' | 'interrupted';
  retryAfterSec?: number;
}

/** Spotify answered `invalid_grant`: the link is dead. */
export interface RevokeAccess extends At {
  type: 'revokeAccess';
  reason: 'invalidGrant' | 'refreshTokenExpired';
}

/** The scheduler is about to remind the user to re-link (once per link, from day 170). */
export interface SendRelinkReminder extends At {
  type: 'sendRelinkReminder';
}

/** `/unlink`: forget the link and any attempt; every key of the stream is shredded. */
export interface Unlink extends At {
  type: 'unlink';
}

/** Every command {@link decide} understands. */
export type LinkCommand =
  | StartLogin
  | RecordGrant
  | DenyLogin
  | ConfirmLink
  | RejectLink
  | ExpireLogin
  | StartRefresh
  | CompleteRefresh
  | FailRefresh
  | RevokeAccess
  | SendRelinkReminder
  | Unlink;

/** The name of a command, e.g. `'startLogin'`. */
export type LinkCommandType = LinkCommand['type'];
