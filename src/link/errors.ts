/**
 * Errors the link service gives its callers (the bot, the HTTP callback, the music
 * resolvers). Each has a stable `code` the locale files key their messages by; none carries
 * a token, code, state or verifier.
 */
import type { LinkStateName } from '../../machines/spotifyLink.machine.ts';

/** The user has no usable Spotify link (never linked, unlinked, or revoked). */
export class NotLinkedError extends Error {
  override readonly name = 'NotLinkedError';
  readonly code = 'NOT_LINKED';
  constructor(
    readonly linkState: LinkStateName,
    readonly revocationReason: 'invalidGrant' | 'refreshTokenExpired' | null = null,
  ) {
    super(`no usable Spotify link (state ${linkState}${revocationReason ? `, revoked: ${revocationReason}` : ''}); the user can /login`);
  }
}

/**
 * Spotify could not refresh the token right now (5xx, timeout, 429). The link stays; the
 * caller should say "try again in N s".
 */
export class SpotifyTemporarilyUnavailableError extends Error {
  override readonly name = 'SpotifyTemporarilyUnavailableError';
  readonly code = 'SPOTIFY_TEMPORARILY_UNAVAILABLE';
  constructor(
    readonly reason: 'unavailable' | 'rateLimited' | 'timeout' | 'relinkInProgress',
    readonly retryAfterSec: number,
  ) {
    super(`Spotify is temporarily unavailable (${reason}); retry in ${retryAfterSec} s`);
  }
}

/** `/login` was asked for while the operator has not configured Spotify login. */
export class LoginDisabledError extends Error {
  override readonly name = 'LoginDisabledError';
  readonly code = 'LOGIN_DISABLED';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * The user started too many logins in a short time (see `LoginRateLimit`). Nothing was
 * started; the caller should say "try again in N minutes".
 */
export class LoginRateLimitedError extends Error {
  override readonly name = 'LoginRateLimitedError';
  readonly code = 'LOGIN_RATE_LIMITED';
  constructor(readonly retryAfterSec: number) {
    super(`too many logins started; retry in ${retryAfterSec} s`);
  }
}
