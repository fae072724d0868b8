/**
 * A link service on a real event store and vault (memory-level by default, classic-level
 * when `location` is given), wired to a fake Spotify, with a recording notifier, a recording
 * fake sleep and a movable clock. Tests of `src/link`, `src/http` and the bot build on it.
 *
 * The harness logs through a **plain** pino logger (no redaction), so `spotify.leaksIn(h.logs())`
 * being empty proves the code never handed a secret to the logger at all.
 *
 * @example
 * const h = await startLinkHarness();
 * await h.link(42);
 * const token = await h.links.accessToken(42);
 * assert.equal(h.spotify.leaksIn(h.logs()), []);
 * await h.close();
 */
import pino from 'pino';
import { MemoryLevel } from 'memory-level';
import { masterKey, openEventStore, openTokenVault, type Envelope, type EventStore, type RootDb, type TokenVault } from '../../eventlog/index.ts';
import type { Logger } from '../../src/log.ts';
import { createLinkRegistry, userIdOfStream } from '../../src/link/linkLog.ts';
import type { LinkEvent } from '../../machines/spotifyLink.events.ts';
import { LinkService, type LinkServiceDeps } from '../../src/link/linkService.ts';
import type { LinkNotice, TokenEndpoint } from '../../src/link/ports.ts';
import { linkProjections } from '../../src/link/projections.ts';
import { AccountsClient } from '../../src/spotify/accountsClient.ts';
import { createProfileReader } from '../../src/spotify/profile.ts';
import { WebApiClient } from '../../src/spotify/webApiClient.ts';
import { startFakeSpotify, type FakeSpotify } from './fakeSpotify.ts';

/** A test clock (epoch ms) that only moves when told. */
export class TestClock {
  constructor(public t = Date.UTC(2026, 10, 24, 12, 0, 0)) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface LinkHarness {
  links: LinkService;
  store: EventStore<LinkEvent>;
  vault: TokenVault;
  spotify: FakeSpotify;
  accounts: AccountsClient;
  webApi: WebApiClient;
  clock: TestClock;
  notices: Array<{ userId: number; notice: LinkNotice }>;
  /** Every wait the token refresher asked for (ms), in order; the fake sleep returns at once. */
  sleeps: number[];
  logger: Logger;
  /** Everything logged so far (to assert no secret leaked). */
  logs(): string;
  /** Runs /login → fake browser approval → callback; returns the completion id. */
  loginThroughCallback(userId: number, spotifyUser?: string): Promise<string>;
  /** A full link: login, callback and confirmation by the same user. */
  link(userId: number, spotifyUser?: string): Promise<void>;
  /** The user's events as stored (`{ type, data }` with `v` and `meta`). */
  events(userId: number): Promise<Envelope<LinkEvent>[]>;
  /** The notices one user got, in order. */
  noticesOf(userId: number): LinkNotice[];
  /** Stops the service and closes the store; with `keepSpotify` the fake stays up (a "crash"). */
  close(opts?: { keepSpotify?: boolean }): Promise<void>;
}

export const REDIRECT_URI = 'http://127.0.0.1:8080/oauth/spotify/callback';

/** Options of {@link startLinkHarness}. */
export interface LinkHarnessOptions {
  /** A classic-level data dir (the store opens and closes it); memory-level when absent. */
  location?: string;
  db?: RootDb;
  /** Refresh-token rotation at the fake (default on). */
  rotation?: boolean;
  key?: Buffer;
  deps?: Partial<LinkServiceDeps>;
  /** Reuse a running fake (a restart after a "crash"); it is then not closed by `close()` unless asked. */
  spotify?: FakeSpotify;
  clock?: TestClock;
  /** Wraps the accounts client the service uses (to hold a call at a gate in race tests). */
  wrapAccounts?: (real: AccountsClient) => TokenEndpoint;
  /** Timeout of every accounts/Web API request (default 10 s; hang tests pass a few hundred ms). */
  timeoutMs?: number;
}

export async function startLinkHarness(options: LinkHarnessOptions = {}): Promise<LinkHarness> {
  const clock = options.clock ?? new TestClock();
  const ownsSpotify = options.spotify === undefined;
  const spotify =
    options.spotify ??
    (await startFakeSpotify({ redirectUris: [REDIRECT_URI], rotateRefreshTokens: options.rotation ?? true, now: () => clock.now() }));
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) }) as unknown as Logger;
  const db = options.location ? undefined : (options.db ?? (new MemoryLevel() as unknown as RootDb));
  const store = await openEventStore<LinkEvent>({
    ...(options.location ? { location: options.location } : { db: db! }),
    registry: createLinkRegistry(),
    projections: [...linkProjections],
    now: () => new Date(clock.now()),
  });
  const vault = await openTokenVault({
    db: store.db,
    masterKeys: [masterKey(options.key ?? Buffer.alloc(32, 9))],
    runExclusive: store.runExclusive,
  });
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const accounts = new AccountsClient({
    accountsUrl: spotify.accountsUrl,
    clientId: spotify.clientId,
    clientSecret: spotify.clientSecret,
    redirectUri: REDIRECT_URI,
    now: clock.now,
    ...timeout,
  });
  const notices: LinkHarness['notices'] = [];
  const sleeps: number[] = [];
  let links!: LinkService;
  const webApi = new WebApiClient({ apiUrl: spotify.apiUrl, getAccessToken: (u, o) => links.accessToken(u, o), ...timeout });
  links = new LinkService({
    store,
    vault,
    accounts: options.wrapAccounts ? options.wrapAccounts(accounts) : accounts,
    profiles: createProfileReader({ apiUrl: spotify.apiUrl, ...timeout }),
    notifier: { notify: async (userId, notice) => void notices.push({ userId, notice }) },
    logger,
    now: clock.now,
    sleep: async (ms) => void sleeps.push(ms),
    ...options.deps,
  });

  const loginThroughCallback = async (userId: number, spotifyUser = 'alice') => {
    spotify.setLoginOutcome({ as: spotifyUser });
    const { authorizeUrl } = await links.startLogin(userId);
    const redirect = await spotify.login(authorizeUrl);
    const outcome = await links.handleCallback({ state: redirect.state!, code: redirect.code! }, { correlationId: 'test' });
    if (outcome.kind !== 'completed') throw new Error(`callback did not complete: ${outcome.kind}`);
    return outcome.completionId;
  };

  return {
    links,
    store,
    vault,
    spotify,
    accounts,
    webApi,
    clock,
    notices,
    sleeps,
    logger,
    logs: () => lines.join(''),
    loginThroughCallback,
    async link(userId, spotifyUser) {
      const completionId = await loginThroughCallback(userId, spotifyUser);
      const confirmed = await links.confirm(userId, completionId);
      if (confirmed.kind !== 'linked') throw new Error(`confirm did not link: ${confirmed.kind}`);
    },
    events: (userId) => store.readStream(`link-${userId}`),
    noticesOf: (userId) => notices.filter((n) => n.userId === userId).map((n) => n.notice),
    async close(opts = {}) {
      await links.stop();
      await store.close();
      if (db && !options.db) await db.close();
      if (ownsSpotify && !opts.keepSpotify) await spotify.close();
    },
  };
}

/** A sealed value found in the log: which stream, event and field it sits in. */
export interface SealedInLog {
  userId: number;
  eventType: string;
  field: string;
  sealed: string;
}

const SEALED_FIELDS = ['verifier', 'accessToken', 'refreshToken'] as const;

/** Every sealed value in the whole log (via `readAll`), with every data key id each stream used. */
export async function sealedValuesInLog(store: EventStore<LinkEvent>): Promise<{ values: SealedInLog[]; keyIds: Map<number, Set<string>> }> {
  const values: SealedInLog[] = [];
  const keyIds = new Map<number, Set<string>>();
  for await (const envelope of store.readAll() as AsyncIterable<Envelope<LinkEvent>>) {
    const userId = userIdOfStream(envelope.meta.stream);
    if (userId === undefined) continue;
    const data = envelope.data as Record<string, unknown>;
    if (typeof data['keyId'] === 'string') {
      const set = keyIds.get(userId) ?? new Set<string>();
      set.add(data['keyId']);
      keyIds.set(userId, set);
    }
    for (const field of SEALED_FIELDS) {
      const v = data[field];
      if (typeof v === 'string') values.push({ userId, eventType: envelope.type, field, sealed: v });
    }
  }
  return { values, keyIds };
}

/** Every row of the link tables (`link_state`, `user_oauth_tokens`, `oauth_states`, `oauth_completions`) as stable JSON. */
export async function dumpLinkTables(store: EventStore<LinkEvent>): Promise<string> {
  const out: Record<string, Array<[string, unknown]>> = {};
  for (const projection of linkProjections) {
    const rows: Array<[string, unknown]> = [];
    for await (const row of store.table<unknown>(projection.name).entries()) rows.push(row);
    out[projection.name] = rows;
  }
  return JSON.stringify(out);
}
