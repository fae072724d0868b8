/**
 * The port between the OAuth callback page and the login flow behind it.
 *
 * `src/http` validates the browser's query and maps outcomes to pages; the implementation
 * (state lookup by hash, code exchange, `GET /me`, recording the grant, telling the user in
 * Telegram) lives with the link service and is wired in `main.ts`.
 */
import type { Locale } from '../i18n/locale.ts';

/**
 * The validated query of `GET /oauth/spotify/callback`: `state` always, and exactly one of
 * `code` (the user approved) or `error` (e.g. `access_denied` when the user pressed Cancel).
 */
export type CallbackInput = { state: string; code?: string; error?: string };

/** What became of a callback; each kind maps to one page and status (see callbackRoute.ts). */
export type CallbackOutcome =
  /** The grant is stored; the browser goes to `https://t.me/<bot>?start=<completionId>` (303).
   *  `completionId` is random, single use, 1–64 chars of `A-Za-z0-9_-` (Telegram's limit). */
  | { kind: 'completed'; completionId: string }
  /** The user pressed Cancel at Spotify; the flow has told them in Telegram (200 page). */
  | { kind: 'denied' }
  /** No pending login has this state (400 page). */
  | { kind: 'unknownState' }
  /** The pending login is past its expiry (410 page). */
  | { kind: 'expired' }
  /** The state was already consumed by an earlier callback (409 page). */
  | { kind: 'used' }
  /**
   * The code exchange or `GET /me` failed; the flow has told the user in Telegram. Only
   * `spotifyUnavailable` (Spotify's 5xx or a timeout) is a gateway error (502 page); a code
   * Spotify rejects (`invalid_grant`: forged, foreign or already spent) is a 400 and an account
   * not on the app's user list a 403, with the same "send /login again" page.
   */
  | { kind: 'spotifyFailed'; retryable: boolean; reason: SpotifyFailure };

/** Why Spotify did not complete a login: the same reasons the user is told in Telegram. */
export type SpotifyFailure = 'spotifyUnavailable' | 'rejectedBySpotify' | 'notRegistered';

/** Context of one callback: the page language and the request's correlation id for the events. */
export interface CallbackContext {
  readonly locale: Locale;
  readonly correlationId: string;
}

/**
 * Completes (or ends) a pending login from its callback. Called at most once per request,
 * only with a validated input. It should not throw for expected failures – those are
 * outcomes; a throw gives the browser a detail-free 500 page.
 */
export interface CallbackFlow {
  handle(input: CallbackInput, ctx: CallbackContext): Promise<CallbackOutcome>;
}
