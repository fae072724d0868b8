/**
 * `GET /me` with a fresh access token, before any link exists: what the OAuth callback reads
 * to learn whose Spotify account was granted. A standalone function of the Web API's address
 * (not a method of `WebApiClient`), so the link service can be built before the Web API client,
 * which reads with the link service's tokens. A 401 here is final: there is no link to refresh.
 */
import { httpSettings, parseBody, send, type FetchLike, type OnResponse } from './http.ts';
import { apiFailure } from './webApiClient.ts';
import { ProfileBody, toProfile, type SpotifyProfile } from './webApiSchemas.ts';
import { tellAppStatus, type SpotifyAppState } from './appHealth.ts';
import { OwnerPremiumRequiredError, SpotifyUnauthorizedError } from './errors.ts';

/** Where and how to ask. */
export interface ProfileReaderOptions {
  /** `SPOTIFY_API_URL`, e.g. `https://api.spotify.com/v1`. */
  apiUrl: string;
  /** Per request (default 10 000 ms). */
  timeoutMs?: number;
  fetch?: FetchLike;
  onResponse?: OnResponse;
  /** Told what the answer says about the app as a whole, as the Web API client tells it (`SpotifyAppHealth.report`). */
  appStatus?: (state: SpotifyAppState) => void;
}

/**
 * A reader of the profile behind an access token (the link service's `SpotifyProfileReader`).
 * @example const profiles = createProfileReader({ apiUrl }); const me = await profiles.meWithToken(token);
 */
export function createProfileReader(opts: ProfileReaderOptions): { meWithToken(accessToken: string): Promise<SpotifyProfile> } {
  const http = httpSettings(opts);
  const url = `${opts.apiUrl.replace(/\/+$/, '')}/me`;
  return {
    async meWithToken(accessToken) {
      const res = await send(http, 'me', url, { method: 'GET', headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
      if (res.status === 401) throw new SpotifyUnauthorizedError('me');
      if (res.status < 200 || res.status >= 300) {
        const failure = apiFailure('me', res);
        if (failure instanceof OwnerPremiumRequiredError) tellAppStatus(opts.appStatus, 'owner-premium-required');
        throw failure;
      }
      tellAppStatus(opts.appStatus, 'ok');
      return toProfile(parseBody('me', res, ProfileBody));
    },
  };
}
