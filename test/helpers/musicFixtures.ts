/**
 * Small fixtures for music tests: a Spotify Web API client on the fake Spotify whose users
 * have no link (the app's client-credentials token does the work), a JPEG size reader, and a
 * search candidate for a media page.
 */
import { NotLinkedError } from '../../src/link/errors.ts';
import type { Candidate, CandidateSource } from '../../src/music/matcher/index.ts';
import { AccountsClient } from '../../src/spotify/accountsClient.ts';
import { WebApiClient } from '../../src/spotify/webApiClient.ts';
import type { FakeSpotify } from './fakeSpotify.ts';

/** A `WebApiClient` whose users are never linked: every track lookup falls back to the app token. */
export function unlinkedWebApi(spotify: FakeSpotify): WebApiClient {
  const accounts = new AccountsClient({
    accountsUrl: spotify.accountsUrl,
    clientId: spotify.clientId,
    clientSecret: spotify.clientSecret,
    redirectUri: 'http://127.0.0.1:8080/oauth/spotify/callback',
  });
  return new WebApiClient({
    apiUrl: spotify.apiUrl,
    getAccessToken: async () => {
      throw new NotLinkedError('unlinked');
    },
    appToken: (o) => accounts.clientCredentialsToken(o),
  });
}

/** The app's client-credentials token on the fake Spotify (what `app.ts` gives the text search). */
export function fakeAppToken(spotify: FakeSpotify): (o?: { forceRefresh?: boolean }) => Promise<string> {
  const accounts = new AccountsClient({ accountsUrl: spotify.accountsUrl, clientId: spotify.clientId, clientSecret: spotify.clientSecret, redirectUri: 'http://127.0.0.1:8080/oauth/spotify/callback' });
  return (o) => accounts.clientCredentialsToken(o);
}

/** Width and height of a baseline or progressive JPEG; undefined when `buf` is not one. */
export function jpegSize(buf: Buffer): { width: number; height: number } | undefined {
  if (buf[0] !== 0xff || buf[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < buf.length) {
    if (buf[at] !== 0xff) return undefined;
    const marker = buf[at + 1]!;
    const len = buf.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xc2) return { height: buf.readUInt16BE(at + 5), width: buf.readUInt16BE(at + 7) };
    at += 2 + len;
  }
  return undefined;
}

/** A search result pointing at a media-server page. */
export function candidate(id: string, url: string, title: string, uploader: string, durationSec: number, source: CandidateSource = 'youtube-music'): Candidate {
  return { id, title, uploader, durationSec, source, url };
}
