/**
 * The fake Spotify's shared state and request plumbing: the grants it issued, scripted
 * failures, the request log and the helper that answers (and records) a response. The route
 * handlers live in `fakeSpotifyAccounts.ts` and `fakeSpotifyWebApi.ts`; the public API in
 * `fakeSpotify.ts`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeEpisode, FakeTrack, FakeUser } from './fakeSpotifyCatalog.ts';
import type { FakeAlbum, FakePlaylist } from './fakeSpotifyCollections.ts';

/** What the fake answers, per route. */
export type FakeEndpoint = 'authorize' | 'token' | 'me' | 'currently-playing' | 'recently-played' | 'track' | 'search' | 'album' | 'album-tracks' | 'playlist' | 'playlist-items';

/**
 * A failure a test scripts for an endpoint (see `FakeSpotify.fail`). Web API bodies use the
 * `{ error: { status, message } }` wrapper, the token endpoint `{ error, error_description }`.
 */
export type FakeFailure =
  /** Token endpoint: 400 `invalid_grant`. */
  | { kind: 'invalid_grant' }
  /** Token endpoint: 400 `invalid_client` (wrong id/secret). */
  | { kind: 'invalid_client' }
  /** 500 by default, or the given 5xx. */
  | { kind: 'server-error'; status?: number }
  /** 429 with `Retry-After` (default 3 s); `quotaExceeded` adds `"reason": "QUOTA_EXCEEDED"`. */
  | { kind: 'rate-limited'; retryAfterSec?: number; quotaExceeded?: boolean }
  /**
   * 403 "the user may not be registered"; `plainText` sends the text/plain variant Spotify has
   * been seen to send (off the spec on purpose: the contract test leaves it out).
   */
  | { kind: 'not-registered'; plainText?: boolean }
  /** 403 "Insufficient client scope". */
  | { kind: 'insufficient-scope' }
  /** 403 with any other message (default "Forbidden"). */
  | { kind: 'forbidden'; message?: string }
  /** 401 "The access token expired", whatever token was sent. */
  | { kind: 'unauthorized' }
  /** Accept the request and never answer (the client's timeout must fire). */
  | { kind: 'hang' }
  /** 200 with a JSON body that lacks the documented fields. */
  | { kind: 'malformed' };

/** One request as the fake saw it. Values of secrets are in `query` only for `/authorize`. */
export interface FakeRequest {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  method: string;
  endpoint: FakeEndpoint | 'unknown';
  path: string;
  query: Record<string, string>;
  /** Token endpoint: the `grant_type` form field. */
  grantType?: string;
  /** Token endpoint: names (not values) of the form fields sent. */
  formKeys?: string[];
  /** Token endpoint: whether the client authenticated with HTTP Basic. */
  basicAuth?: boolean;
  /** Spotify user id the bearer token (or code / refresh token) belongs to, when known. */
  user?: string;
  /** Which scripted failure answered, if any. */
  failure?: FakeFailure['kind'];
  /** Set when answered; undefined while pending or for a hang. */
  response?: { status: number; contentType: string | undefined; body: string };
}

/** What plays for a user (see `FakeSpotify.setPlayer`). */
export type FakePlayerState =
  /** 204 No Content. */
  | { kind: 'nothing' }
  | { kind: 'track'; trackId: string; progressMs?: number; isPlaying?: boolean; contextUri?: string | null }
  /** Without `additional_types=episode` Spotify sends `item: null` for an episode, as the fake does. */
  | { kind: 'episode'; episodeId: string; progressMs?: number; isPlaying?: boolean }
  /** 200, `currently_playing_type: "ad"`, `item: null`. */
  | { kind: 'ad'; progressMs?: number; isPlaying?: boolean }
  /** 200, `currently_playing_type: "unknown"`, `item: null`. */
  | { kind: 'unknown'; isPlaying?: boolean }
  /** 200 with `item: null` and a `track` type (a private session that still answers 200). */
  | { kind: 'no-item'; isPlaying?: boolean };

/** One play in the recently-played history. */
export interface FakePlay {
  trackId: string;
  /** Unix ms. */
  playedAt: number;
  contextUri?: string;
}

export interface AccessGrant {
  user: string | undefined; // undefined: client-credentials (app) token
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshGrant {
  user: string;
  scopes: string[];
  valid: boolean;
}

export interface CodeGrant {
  user: string;
  redirectUri: string;
  challenge: string | undefined;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export interface FailureRule {
  endpoint: FakeEndpoint;
  failure: FakeFailure;
  remaining: number;
  user: string | undefined;
}

/** Who "logs in" in the browser when a test follows an authorize URL. */
export type LoginOutcome = { as?: string; grantScopes?: string[] } | { deny: true };

/** Everything the fake knows. Mutated by the handlers and by the test-facing API. */
export interface FakeState {
  clientId: string;
  clientSecret: string;
  redirectUris: string[] | undefined;
  accessTokenTtlSec: number;
  rotation: boolean;
  now: () => number;
  baseUrl: string;
  users: Map<string, FakeUser>;
  tracks: Map<string, FakeTrack>;
  episodes: Map<string, FakeEpisode>;
  albums: Map<string, FakeAlbum>;
  playlists: Map<string, FakePlaylist>;
  players: Map<string, FakePlayerState>;
  plays: Map<string, FakePlay[]>;
  codes: Map<string, CodeGrant>;
  accessTokens: Map<string, AccessGrant>;
  refreshTokens: Map<string, RefreshGrant>;
  loginOutcome: LoginOutcome;
  secrets: Set<string>;
  failures: FailureRule[];
  requests: FakeRequest[];
  listeners: ((r: FakeRequest) => void)[];
  hanging: Set<ServerResponse>;
  /** False: the app owner's Premium lapsed and every Web API call answers 403 (see fakeSpotifyWebApi.ts). */
  ownerPremium: boolean;
}

/** One request being handled. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  entry: FakeRequest;
  state: FakeState;
  /** Tells `nextRequest` waiters; the token route calls it once the form is read. */
  announce: () => void;
}

/** A fresh, recognisable secret (`<prefix>-<24 random chars>`), remembered as a secret. */
export function issueSecret(state: FakeState, prefix: string): string {
  const value = `${prefix}-${randomBytes(18).toString('base64url')}`;
  state.secrets.add(value);
  return value;
}

/** Answers with JSON (objects), text (strings) or no body (undefined), and records it. */
export function reply(
  x: Exchange,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  let text = '';
  let contentType: string | undefined;
  if (typeof body === 'string') {
    text = body;
    contentType = 'text/plain; charset=utf-8';
  } else if (body !== undefined) {
    text = JSON.stringify(body);
    contentType = 'application/json; charset=utf-8';
  }
  x.entry.response = { status, contentType, body: text };
  const h: Record<string, string> = { ...headers };
  if (contentType) h['content-type'] = contentType;
  if (status !== 204 && status !== 302 && status !== 303) h['content-length'] = String(Buffer.byteLength(text));
  x.res.writeHead(status, h);
  x.res.end(status === 204 ? undefined : text);
}

/** Takes the first scripted failure for this endpoint (and user, when the rule names one). */
export function takeFailure(x: Exchange, user: string | undefined): FakeFailure | undefined {
  const rules = x.state.failures;
  const i = rules.findIndex((r) => r.endpoint === x.entry.endpoint && (r.user === undefined || r.user === user));
  const rule = rules[i];
  if (!rule) return undefined;
  rule.remaining -= 1;
  if (rule.remaining <= 0) rules.splice(i, 1);
  x.entry.failure = rule.failure.kind;
  return rule.failure;
}

/** Keeps the request open without ever answering. */
export function hang(x: Exchange): void {
  x.state.hanging.add(x.res);
  x.res.on('close', () => x.state.hanging.delete(x.res));
}

/** Reads a small request body (the token endpoint's form). */
export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
