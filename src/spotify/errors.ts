/**
 * Typed failures of the Spotify clients. Callers branch on `code` (stable strings that the locale
 * files key their user messages on), never on `message`.
 *
 * Invariant: no message or property ever holds a token, an authorization code, a state, a PKCE
 * verifier, the client secret or a raw response body; only statuses, endpoint names and flags.
 * That makes every instance safe to log as `{ err }` and to serialise.
 *
 * @example
 * ```ts
 * try { await api.currentlyPlaying(userId); }
 * catch (err) {
 *   if (err instanceof NotRegisteredError) return ctx.reply(t('spotify-not-registered'));
 *   if (err instanceof RateLimitedError) return retryLater(err.retryAfterSec);
 *   throw err;
 * }
 * ```
 */

/** Which Spotify call failed: `token` (accounts service) or a Web API endpoint. */
export type SpotifyEndpoint = 'token' | 'me' | 'currently-playing' | 'recently-played' | 'track' | 'album' | 'playlist';

/** Base class of every error the Spotify clients throw on purpose. */
export abstract class SpotifyError extends Error {
  /** Stable machine-readable code; user messages are looked up by it. */
  abstract readonly code: string;
  /** The call that failed (no ids, no query). */
  readonly endpoint: SpotifyEndpoint;

  constructor(message: string, endpoint: SpotifyEndpoint) {
    super(message);
    this.name = new.target.name;
    this.endpoint = endpoint;
  }

  /** Plain summary for logs and JSON: name, code, endpoint and the subclass's safe fields. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as unknown as Record<string, unknown>) };
  }
}

/**
 * 403 because the Spotify account is not on the app's user list. Development-mode apps accept at
 * most 5 users, each added by the operator under User Management in the Spotify developer
 * dashboard (by the user's Spotify e-mail). Refreshing or re-linking does not help.
 */
export class NotRegisteredError extends SpotifyError {
  readonly code = 'SPOTIFY_NOT_REGISTERED';
  constructor(endpoint: SpotifyEndpoint) {
    super(
      'Spotify refused the call: this Spotify account is not registered for the app. The operator ' +
        "must add the user's Spotify e-mail under User Management in the Spotify developer dashboard " +
        '(development mode allows at most 5 users).',
      endpoint,
    );
  }
}

/**
 * 403 `Active premium subscription required for the owner of the app. When the subscription
 * status changes, it can take a few hours before requests are allowed again.` (wording as
 * reported in spotify2tidal/spotify_to_tidal#184 and mahdi-y/Spotify2YoutubeMusic#26, 2026).
 * Since February 2026 a development-mode app works only while the account that owns it has
 * Premium (developer.spotify.com/documentation/web-api/tutorials/february-2026-migration-guide);
 * every Web API call fails, client-credentials track lookups included. Only the operator can
 * cure it, by renewing Premium on the app owner's account; users and re-linking cannot.
 */
export class OwnerPremiumRequiredError extends SpotifyError {
  readonly code = 'SPOTIFY_OWNER_PREMIUM_REQUIRED';
  constructor(endpoint: SpotifyEndpoint) {
    super(
      "Spotify refused the call: the Spotify account that owns the app has no active Premium subscription. The operator must renew Premium on the app owner's account; Spotify may take a few hours to allow requests again.",
      endpoint,
    );
  }
}

/** 403 because the grant lacks a scope the endpoint needs: the user must link again. */
export class InsufficientScopeError extends SpotifyError {
  readonly code = 'SPOTIFY_INSUFFICIENT_SCOPE';
  constructor(endpoint: SpotifyEndpoint) {
    super('Spotify refused the call: the grant lacks a required scope; the user must link Spotify again.', endpoint);
  }
}

/** 429. Wait `retryAfterSec` (when Spotify said) before the next call; quota exhaustion is flagged. */
export class RateLimitedError extends SpotifyError {
  readonly code = 'SPOTIFY_RATE_LIMITED';
  /** Seconds from the `Retry-After` header; undefined when absent or unreadable. */
  readonly retryAfterSec: number | undefined;
  /** True when the body says `QUOTA_EXCEEDED`: the app's quota is spent, not a short burst. */
  readonly quotaExceeded: boolean;
  constructor(endpoint: SpotifyEndpoint, retryAfterSec: number | undefined, quotaExceeded: boolean) {
    super(
      quotaExceeded
        ? "Spotify rate limit: the app's quota is exceeded."
        : `Spotify rate limit: retry after ${retryAfterSec ?? 'an unknown number of'} s.`,
      endpoint,
    );
    this.retryAfterSec = retryAfterSec;
    this.quotaExceeded = quotaExceeded;
  }
}

/** Why an {@link ExternalServiceError} happened. */
export type ExternalFailure = 'timeout' | 'network' | 'server' | 'http' | 'forbidden' | 'bad-body' | 'client-config';

/**
 * Spotify failed or answered something unusable: 5xx, timeouts and network errors
 * (`retryable: true`) or an unexpected status / body (`retryable: false`).
 */
export class ExternalServiceError extends SpotifyError {
  readonly code = 'EXTERNAL_SERVICE_ERROR';
  readonly service = 'spotify';
  /** HTTP status when a response arrived. */
  readonly status: number | undefined;
  /** Whether the same call may succeed later (with backoff). */
  readonly retryable: boolean;
  readonly failure: ExternalFailure;
  constructor(endpoint: SpotifyEndpoint, failure: ExternalFailure, opts: { status?: number; retryable: boolean }) {
    super(
      `Spotify ${endpoint} call failed (${failure}${opts.status === undefined ? '' : ` ${opts.status}`})` +
        (opts.retryable ? '; retry later.' : '.'),
      endpoint,
    );
    this.status = opts.status;
    this.retryable = opts.retryable;
    this.failure = failure;
  }
}

/**
 * The accounts service answered 400 `invalid_grant`: the code is used or expired, or the refresh
 * token is expired (6 months after login), already used (rotation) or revoked. Re-link needed.
 */
export class InvalidGrantError extends SpotifyError {
  readonly code = 'SPOTIFY_INVALID_GRANT';
  constructor() {
    super('Spotify rejected the grant (invalid_grant): the user must link Spotify again.', 'token');
  }
}

/** 401 even after one forced refresh and a retry: the link no longer works. */
export class SpotifyUnauthorizedError extends SpotifyError {
  readonly code = 'SPOTIFY_UNAUTHORIZED';
  constructor(endpoint: SpotifyEndpoint) {
    super('Spotify refused the access token (401) after a refresh; the user must link Spotify again.', endpoint);
  }
}
