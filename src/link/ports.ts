/**
 * The link domain's ports, both ways:
 *
 * - what it offers: {@link LinkUseCases} (the bot's `/login`, `/start`, `/unlink`, the Web API
 *   client's tokens) and {@link CallbackFlow} (the HTTP callback route);
 * - what it needs: the Spotify accounts service ({@link TokenEndpoint}, implemented by
 *   `src/spotify/accountsClient.ts`), `GET /me` ({@link SpotifyProfileReader}, `src/spotify/profile.ts`)
 *   and a way to tell a user something ({@link LinkNotifier}, implemented by the bot).
 *
 * `src/http` and `src/bot` depend on these types; `src/link` imports nothing from them.
 * Tests pass fakes of the same shape.
 */
import type { TokenGrant } from '../spotify/accountsClient.ts';
import type { LinkSummary } from './summary.ts';

/**
 * A completion id as the link service issues it (32 random bytes, 43 URL-safe characters) and
 * as it comes back in `/start <id>`: Telegram's `start` parameter allows 1–64 characters of
 * `A-Za-z0-9_-`; fewer than 16 is never one of ours.
 */
export const COMPLETION_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** What `/login` gives the bot to show. */
export interface StartedLogin {
  authorizeUrl: string;
  expiresAt: number;
  relink: boolean;
}

/** What `/start <completion id>` achieved. */
export type ConfirmOutcome =
  | { kind: 'linked'; displayName: string | null; spotifyUserId: string }
  /** No grant waits under this id (never issued, already used, or the attempt ended). */
  | { kind: 'unknown' }
  | { kind: 'expired' }
  /** The sender is not the user who started the login: nothing linked, the owner was told. */
  | { kind: 'foreign' };

/**
 * The validated query of `GET /oauth/spotify/callback`: `state` always, and exactly one of
 * `code` (the user approved) or `error` (e.g. `access_denied` when the user pressed Cancel).
 */
export type CallbackInput = { state: string; code?: string; error?: string };

/** Why Spotify did not complete a login: the same reasons the user is told in Telegram. */
export type SpotifyFailure = 'spotifyUnavailable' | 'rejectedBySpotify' | 'notRegistered';

/** What became of a callback; each kind maps to one page and status (see `src/http/callbackRoute.ts`). */
export type CallbackOutcome =
  /** The grant is stored; the browser goes to `https://t.me/<bot>?start=<completionId>` (303). */
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

/**
 * Completes (or ends) a pending login from its callback. Called at most once per request,
 * only with a validated input. It does not throw for expected failures – those are outcomes;
 * a throw gives the browser a detail-free 500 page.
 */
export interface CallbackFlow {
  /** `correlationId` (the request's) is stored in the events the callback causes. */
  handleCallback(input: CallbackInput, ctx: { readonly correlationId: string }): Promise<CallbackOutcome>;
}

/** The use cases of Spotify links, as the bot and the Web API client call them. */
export interface LinkUseCases extends CallbackFlow {
  /** `/login`: starts (or restarts) a login; throws `LoginRateLimitedError` past the user's limit. */
  startLogin(userId: number): Promise<StartedLogin>;
  /** `/start <completion id>` from `actingUserId`. */
  confirm(actingUserId: number, completionId: string): Promise<ConfirmOutcome>;
  /** `/unlink`: false when there was nothing to unlink. */
  unlink(userId: number): Promise<boolean>;
  /** The user's link state without any secret (Spotify id and name opened for the owner). */
  status(userId: number): Promise<LinkSummary>;
  /**
   * A valid access token; with `forceRefresh` (after a 401) a refreshed one. Throws
   * `NotLinkedError` or `SpotifyTemporarilyUnavailableError`.
   */
  accessToken(userId: number, options?: { forceRefresh?: boolean }): Promise<string>;
}

/** The accounts-service calls the link lifecycle makes. */
export interface TokenEndpoint {
  authorizeUrl(args: { state: string; codeChallenge: string; showDialog: boolean }): string;
  exchangeCode(args: { code: string; codeVerifier: string }): Promise<TokenGrant>;
  refresh(refreshToken: string): Promise<TokenGrant>;
}

/** Reads the Spotify account behind a fresh access token (before any link exists). */
export interface SpotifyProfileReader {
  meWithToken(accessToken: string): Promise<{ id: string; displayName?: string | undefined }>;
}

/** Something the link lifecycle tells a user, in their language, once. */
export type LinkNotice =
  /** The browser came back with `error=…` (the user pressed Cancel at Spotify). */
  | { kind: 'loginDenied' }
  /** The code exchange or `GET /me` failed; the attempt ended. */
  | { kind: 'loginFailed'; reason: 'spotifyUnavailable' | 'notRegistered' | 'rejectedBySpotify' }
  /** Another Telegram account opened this user's completion link; nothing was linked. */
  | { kind: 'foreignCompletion' }
  /** The link ended on Spotify's side. */
  | { kind: 'revoked'; reason: 'invalidGrant' | 'refreshTokenExpired' }
  /** The refresh token expires soon (day 170 of 180): re-link before `expiresAt`. */
  | { kind: 'relinkSoon'; expiresAt: number };

/** Delivers {@link LinkNotice}s (the bot sends a message in the user's language). */
export interface LinkNotifier {
  notify(userId: number, notice: LinkNotice): Promise<void>;
}

/**
 * Mutual exclusion per user across every process on one database (PostgreSQL advisory locks,
 * `src/storage/userLock.ts`), so that one token refresh runs per user however many bot
 * processes want a token at once. One process alone needs none.
 */
export interface UserLock {
  /** Runs `fn` while holding the user's lock; waits for another holder to finish first. */
  run<T>(userId: number, fn: () => Promise<T>): Promise<T>;
}

/** What the link service needs when other processes write the same log (PostgreSQL). */
export interface SharedLog {
  /** Held around each token refresh; under it the tokens are read again first. */
  readonly refreshLock: UserLock;
}
