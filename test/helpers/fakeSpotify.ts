/**
 * A local fake of Spotify for tests: one `node:http` server on 127.0.0.1 (port 0) that is both
 * the accounts service (`/authorize`, `/api/token`) and the Web API (`/v1/me`,
 * `/v1/me/player/currently-playing`, `/v1/me/player/recently-played`, `/v1/tracks/{id}`).
 * Its bodies follow `test/contracts/spotify.json` (checked by `test/spotify/contract.test.ts`).
 *
 * @example
 * ```ts
 * const fake = await startFakeSpotify();                 // user 'alice' exists by default
 * const accounts = new AccountsClient({ accountsUrl: fake.accountsUrl, clientId: fake.clientId,
 *   clientSecret: fake.clientSecret, redirectUri: 'http://127.0.0.1:8080/oauth/spotify/callback' });
 * const { code, state } = await fake.login(accounts.authorizeUrl({ state: 's', codeChallenge, showDialog: false }));
 * fake.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id });
 * fake.fail('currently-playing', { kind: 'rate-limited', retryAfterSec: 7 });
 * assert.is(fake.count('token', { grantType: 'refresh_token' }), 1);
 * assert.equal(fake.leaksIn(logOutput), []);
 * await fake.close();
 * ```
 *
 * Model: users (all registered unless said otherwise), a catalogue (two tracks and an episode by
 * default), per-user player state and history, and the grants issued. Access tokens live
 * `accessTokenTtlSec`; refresh tokens are reusable unless rotation is on (then single-use and
 * each refresh returns a new one); codes are single-use and bound to the redirect URI and the
 * PKCE challenge.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { EPISODE, TRACK_WITHOUT_ISRC, TRACK_WITH_ISRC, fakeId, type FakeEpisode, type FakeTrack, type FakeUser } from './fakeSpotifyCatalog.ts';
import { handleAuthorize, handleToken, issue } from './fakeSpotifyAccounts.ts';
import type { FakeAlbum, FakePlaylist, FakePlaylistEntry } from './fakeSpotifyCollections.ts';
import { handleWebApi } from './fakeSpotifyWebApi.ts';
import { reply, type Exchange, type FakeEndpoint, type FakeFailure, type FakePlay, type FakePlayerState, type FakeRequest, type FakeState, type LoginOutcome } from './fakeSpotifyState.ts';

export { EPISODE, TRACK_WITHOUT_ISRC, TRACK_WITH_ISRC, coverSet, fakeId } from './fakeSpotifyCatalog.ts';
export type { FakeEpisode, FakeImage, FakeTrack, FakeUser } from './fakeSpotifyCatalog.ts';
export { NOT_REGISTERED_MESSAGE, NOT_REGISTERED_TEXT, OWNER_PREMIUM_MESSAGE } from './fakeSpotifyWebApi.ts';
export type { FakeEndpoint, FakeFailure, FakePlay, FakePlayerState, FakeRequest, LoginOutcome } from './fakeSpotifyState.ts';

/** Options of {@link startFakeSpotify}. */
export interface FakeSpotifyOptions {
  /** Default: random. */
  clientId?: string;
  /** Default: random (and counted as a secret). */
  clientSecret?: string;
  /** When set, `/authorize` and the code exchange accept only these redirect URIs. */
  redirectUris?: string[];
  /** Refresh returns a new refresh token and invalidates the old one. Default false (omitted). */
  rotateRefreshTokens?: boolean;
  /** Default 3600. */
  accessTokenTtlSec?: number;
  /** Users to create instead of the default `alice`. */
  users?: Partial<FakeUser>[];
  /** Clock in ms (token and code expiry). Default `Date.now`. */
  now?: () => number;
}

/** Where `fake.login()` was redirected to. */
export interface LoginRedirect {
  /** The full `Location` (the app's redirect URI with `code`/`error` and `state`). */
  location: string;
  code: string | undefined;
  state: string | undefined;
  error: string | undefined;
}

/** The test-facing handle of a running fake. */
export interface FakeSpotify {
  /** Use as `SPOTIFY_ACCOUNTS_URL`, e.g. `http://127.0.0.1:41234`. */
  readonly accountsUrl: string;
  /** Use as `SPOTIFY_API_URL`: `accountsUrl + '/v1'`. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;

  /** Adds (or replaces) a Spotify account; `registered: false` gets 403 "not registered". */
  addUser(user: Partial<FakeUser> & { id: string }): FakeUser;
  /** Marks an account as (not) on the app's User Management list. */
  setRegistered(userId: string, registered: boolean): void;
  /** Decides what the next `/authorize` visits do: log in as a user (optionally granting fewer scopes), or deny. Persists. */
  setLoginOutcome(outcome: LoginOutcome): void;
  /** Follows an authorize URL like a browser that approves (or denies, per the outcome) and returns the redirect. */
  login(authorizeUrl: string): Promise<LoginRedirect>;
  /** Issues tokens directly, skipping the browser step (for tests that need a linked user fast). */
  issueTokens(userId: string, scopes?: string[]): { accessToken: string; refreshToken: string; expiresInSec: number };

  /** Turns refresh-token rotation on (single-use refresh tokens) or off (refresh omits it). */
  setRotation(on: boolean): void;
  /**
   * The lifetime of access tokens issued from now on (`expires_in`); tokens already issued keep
   * theirs. A short one at login makes a link whose token has expired by the time it is used.
   * Spotify always answers `expires_in: 3600` (Authorization Code guide, "Request an access
   * token"): a shorter lifetime stands for an hour passed, not for something Spotify does.
   */
  setAccessTokenTtl(seconds: number): void;
  /** Makes every access token (of one user, or all) answer 401 from now on. */
  expireAccessTokens(userId?: string): void;
  /** Makes every refresh token (of one user, or all) answer `invalid_grant` (the 6-month expiry). */
  revokeRefreshTokens(userId?: string): void;

  addTrack(track: Partial<FakeTrack> & { name: string }): FakeTrack;
  addEpisode(episode: Partial<FakeEpisode> & { name: string }): FakeEpisode;
  /** An album of tracks already added with `addTrack`. */
  addAlbum(album: { name: string; trackIds: string[]; id?: string }): FakeAlbum;
  /** A playlist owned by a fake user (`editorial`: Spotify's own, 404 to development-mode apps). */
  addPlaylist(playlist: Partial<FakePlaylist> & { name: string; owner: string; entries: FakePlaylistEntry[] }): FakePlaylist;
  /** What `currently-playing` answers for a user (default `{ kind: 'nothing' }` → 204). */
  setPlayer(userId: string, state: FakePlayerState): void;
  /** Replaces a user's recently-played history. */
  setRecentlyPlayed(userId: string, plays: FakePlay[]): void;

  /**
   * Scripts a failure: the next `times` (default 1; `Infinity` until cleared) requests to the
   * endpoint (of `user` only, when given) fail that way instead of being served.
   */
  fail(endpoint: FakeEndpoint, failure: FakeFailure, opts?: { times?: number; user?: string }): void;
  clearFailures(): void;
  /**
   * `false`: the app owner's Premium lapsed. Every Web API call with a valid token (user or app)
   * answers 403 {@link OWNER_PREMIUM_MESSAGE} until set back to `true`; tokens are still issued.
   */
  setOwnerPremium(active: boolean): void;

  /** Every request so far, in arrival order (response filled in when answered). */
  readonly requests: readonly FakeRequest[];
  /** How many requests hit an endpoint, optionally only one grant type / status / user. */
  count(endpoint: FakeEndpoint, filter?: { grantType?: string; status?: number; user?: string }): number;
  /**
   * Resolves with the next request to `endpoint` as soon as it arrives, before it is answered
   * (for the token endpoint: once its form is read, so `grantType` is set).
   */
  nextRequest(endpoint: FakeEndpoint): Promise<FakeRequest>;

  /** Every token, refresh token, code, state, verifier and client secret the fake issued or saw. */
  secrets(): string[];
  /** The secrets found in `text` (expect `[]` for log output and error JSON). */
  leaksIn(text: string): string[];

  /** Stops the server, cutting hanging requests. */
  close(): Promise<void>;
}

const ENDPOINTS: [RegExp, FakeEndpoint][] = [
  [/^\/authorize$/, 'authorize'],
  [/^\/api\/token$/, 'token'],
  [/^\/v1\/me$/, 'me'],
  [/^\/v1\/me\/player\/currently-playing$/, 'currently-playing'],
  [/^\/v1\/me\/player\/recently-played$/, 'recently-played'],
  [/^\/v1\/tracks\/[^/]+$/, 'track'],
  [/^\/v1\/search$/, 'search'],
  [/^\/v1\/albums\/[^/]+$/, 'album'],
  [/^\/v1\/albums\/[^/]+\/tracks$/, 'album-tracks'],
  [/^\/v1\/playlists\/[^/]+$/, 'playlist'],
  [/^\/v1\/playlists\/[^/]+\/items$/, 'playlist-items'],
];

/** Starts a fake Spotify on 127.0.0.1 with a free port. */
export async function startFakeSpotify(opts: FakeSpotifyOptions = {}): Promise<FakeSpotify> {
  const s: FakeState = {
    clientId: opts.clientId ?? `fake-client-${randomBytes(6).toString('hex')}`,
    clientSecret: opts.clientSecret ?? `fake-secret-${randomBytes(18).toString('base64url')}`,
    redirectUris: opts.redirectUris,
    accessTokenTtlSec: opts.accessTokenTtlSec ?? 3600,
    rotation: opts.rotateRefreshTokens ?? false,
    now: opts.now ?? Date.now,
    baseUrl: '',
    users: new Map(),
    tracks: new Map([TRACK_WITH_ISRC, TRACK_WITHOUT_ISRC].map((t) => [t.id, t])),
    episodes: new Map([[EPISODE.id, EPISODE]]),
    albums: new Map(),
    playlists: new Map(),
    players: new Map(),
    plays: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    loginOutcome: {},
    secrets: new Set(),
    failures: [],
    requests: [],
    listeners: [],
    hanging: new Set(),
    ownerPremium: true,
  };
  s.secrets.add(s.clientSecret);
  s.secrets.add(Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64'));
  const addUser = (u: Partial<FakeUser> & { id: string }): FakeUser => {
    const user: FakeUser = { displayName: u.id[0]!.toUpperCase() + u.id.slice(1), email: `${u.id}@example.test`, registered: true, ...u };
    s.users.set(user.id, user);
    return user;
  };
  for (const u of opts.users ?? [{ id: 'alice' }]) addUser({ id: u.id ?? 'alice', ...u });

  const server = createServer((req, res) => void handle(s, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  s.baseUrl = `http://127.0.0.1:${port}`;

  return {
    accountsUrl: s.baseUrl,
    apiUrl: `${s.baseUrl}/v1`,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    addUser,
    setRegistered(userId, registered) {
      const u = s.users.get(userId);
      if (!u) throw new Error(`fake: no user ${userId}`);
      u.registered = registered;
    },
    setOwnerPremium(active) {
      s.ownerPremium = active;
    },
    setLoginOutcome(outcome) {
      s.loginOutcome = outcome;
    },
    async login(authorizeUrl) {
      const res = await fetch(authorizeUrl, { redirect: 'manual' });
      await res.arrayBuffer();
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error(`fake: /authorize answered ${res.status}`);
      const q = new URL(location).searchParams;
      return { location, code: q.get('code') ?? undefined, state: q.get('state') ?? undefined, error: q.get('error') ?? undefined };
    },
    issueTokens(userId, scopes = ['user-read-currently-playing', 'user-read-recently-played']) {
      if (!s.users.has(userId)) throw new Error(`fake: no user ${userId}`);
      const body = issue({ state: s }, userId, scopes, true);
      return { accessToken: String(body['access_token']), refreshToken: String(body['refresh_token']), expiresInSec: s.accessTokenTtlSec };
    },
    setRotation(on) {
      s.rotation = on;
    },
    setAccessTokenTtl(seconds) {
      s.accessTokenTtlSec = seconds;
    },
    expireAccessTokens(userId) {
      for (const g of s.accessTokens.values()) if (userId === undefined || g.user === userId) g.revoked = true;
    },
    revokeRefreshTokens(userId) {
      for (const g of s.refreshTokens.values()) if (userId === undefined || g.user === userId) g.valid = false;
    },
    addTrack(t) {
      const track: FakeTrack = { ...TRACK_WITH_ISRC, id: fakeId(t.name), images: [], ...t };
      s.tracks.set(track.id, track);
      return track;
    },
    addEpisode(e) {
      const episode: FakeEpisode = { ...EPISODE, id: fakeId(`episode:${e.name}`), ...e };
      s.episodes.set(episode.id, episode);
      return episode;
    },
    addAlbum(a) {
      const album: FakeAlbum = { id: fakeId(`album:${a.name}`), ...a };
      s.albums.set(album.id, album);
      return album;
    },
    addPlaylist(p) {
      const playlist: FakePlaylist = { id: fakeId(`playlist:${p.name}`), collaborators: [], editorial: false, ...p };
      s.playlists.set(playlist.id, playlist);
      return playlist;
    },
    setPlayer(userId, state) {
      s.players.set(userId, state);
    },
    setRecentlyPlayed(userId, plays) {
      s.plays.set(userId, [...plays]);
    },
    fail(endpoint, failure, o = {}) {
      s.failures.push({ endpoint, failure, remaining: o.times ?? 1, user: o.user });
    },
    clearFailures() {
      s.failures.length = 0;
    },
    requests: s.requests,
    count(endpoint, f = {}) {
      return s.requests.filter(
        (r) =>
          r.endpoint === endpoint &&
          (f.grantType === undefined || r.grantType === f.grantType) &&
          (f.status === undefined || r.response?.status === f.status) &&
          (f.user === undefined || r.user === f.user),
      ).length;
    },
    nextRequest(endpoint) {
      return new Promise((resolve) => {
        const listener = (r: FakeRequest): void => {
          if (r.endpoint !== endpoint) return;
          s.listeners.splice(s.listeners.indexOf(listener), 1);
          resolve(r);
        };
        s.listeners.push(listener);
      });
    },
    secrets: () => [...s.secrets],
    leaksIn(text) {
      return [...s.secrets].filter((secret) => text.includes(secret));
    },
    async close() {
      for (const res of s.hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(s: FakeState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', s.baseUrl);
  const endpoint = ENDPOINTS.find(([re]) => re.test(url.pathname))?.[1] ?? 'unknown';
  const entry: FakeRequest = {
    seq: s.requests.length + 1,
    method: req.method ?? 'GET',
    endpoint,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
  };
  s.requests.push(entry);
  let announced = false;
  const announce = (): void => {
    if (announced) return;
    announced = true;
    for (const l of [...s.listeners]) l(entry);
  };
  const x: Exchange = { req, res, url, entry, state: s, announce };
  if (endpoint !== 'token') announce();
  try {
    if (endpoint === 'authorize') handleAuthorize(x);
    else if (endpoint === 'token') await handleToken(x);
    else if (endpoint === 'unknown') reply(x, 404, { error: { status: 404, message: 'Service not found' } });
    else handleWebApi(x);
  } catch (err) {
    // A fake bug must show up in the test, not as a hang.
    if (!res.headersSent) reply(x, 500, `fake crashed: ${(err as Error).message}`);
  } finally {
    announce();
  }
}

/**
 * Everything a thrown value could show in a log: message, `String()`, JSON and `util.inspect`
 * (own properties, cause, stack). Feed it to `fake.leaksIn()` to prove an error leaks nothing.
 */
export function errorDump(err: unknown): string {
  const e = err as { message?: unknown } | null;
  let json = '';
  try {
    json = JSON.stringify(err);
  } catch {
    json = '(not serialisable)';
  }
  return [String(e?.message ?? ''), String(err), json, inspect(err, { depth: 5, showHidden: true })].join('\n');
}
