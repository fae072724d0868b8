/**
 * What the link service needs from the outside, as narrow interfaces: the Spotify accounts
 * service (implemented by `src/spotify/accountsClient.ts`), the Web API's `GET /me`, and a
 * way to tell a user something (implemented by the bot). Tests pass fakes of the same shape.
 */
import type { TokenGrant } from '../spotify/accountsClient.ts';

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
