/**
 * Several bot processes on one PostgreSQL database, seen from the link domain: each "instance"
 * here has its own pool, event store, vault and link service, as a separate process would; they
 * share the database, the fake Spotify and the clock.
 */
import pino from 'pino';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { masterKey } from '../../eventlog/index.ts';
import { openPostgresEventStore, openPostgresTokenVault } from '../../eventlog/postgres/index.ts';
import type { LinkEvent } from '../../machines/spotifyLink.events.ts';
import { NotLinkedError } from '../../src/link/errors.ts';
import { createLinkRegistry } from '../../src/link/linkLog.ts';
import { LinkService } from '../../src/link/linkService.ts';
import { linkProjections } from '../../src/link/projections.ts';
import type { Logger } from '../../src/log.ts';
import { AccountsClient } from '../../src/spotify/accountsClient.ts';
import { createProfileReader } from '../../src/spotify/profile.ts';
import { openPostgresUserLock } from '../../src/storage/userLock.ts';
import { startFakeSpotify, type FakeSpotify } from '../helpers/fakeSpotify.ts';
import { REDIRECT_URI, TestClock } from '../helpers/linkHarness.ts';
import { freshDatabase } from '../helpers/postgresCluster.ts';
import { rejects } from '../helpers/rejects.ts';

interface World {
  url: string;
  spotify: FakeSpotify;
  clock: TestClock;
  closers: (() => Promise<void>)[];
}

const Shared = suite<World>('link service: several processes on one PostgreSQL database');

Shared.before.each(async (w) => {
  const db = await freshDatabase();
  w.url = db.url;
  w.clock = new TestClock();
  w.spotify = await startFakeSpotify({ redirectUris: [REDIRECT_URI], rotateRefreshTokens: true, now: () => w.clock.now() });
  w.closers = [db.drop, () => w.spotify.close()];
});
Shared.after.each(async (w) => {
  for (const close of w.closers.reverse()) await close();
});

/** One bot process's link service on the shared database. */
async function instance(w: World): Promise<LinkService<unknown>> {
  const logger = pino({ level: 'silent' }) as unknown as Logger;
  const store = await openPostgresEventStore<LinkEvent>({
    connectionString: w.url,
    registry: createLinkRegistry(),
    projections: [...linkProjections],
    now: () => new Date(w.clock.now()),
  });
  const vault = await openPostgresTokenVault({ store, masterKeys: [masterKey(Buffer.alloc(32, 9))] });
  const refreshLock = openPostgresUserLock({ connectionString: w.url, schema: 'eventlog' });
  const accounts = new AccountsClient({
    accountsUrl: w.spotify.accountsUrl,
    clientId: w.spotify.clientId,
    clientSecret: w.spotify.clientSecret,
    redirectUri: REDIRECT_URI,
    now: w.clock.now,
  });
  const links: LinkService<unknown> = new LinkService({
    store,
    vault,
    shared: { refreshLock },
    accounts,
    profiles: createProfileReader({ apiUrl: w.spotify.apiUrl }),
    notifier: { notify: async () => {} },
    logger,
    now: w.clock.now,
    sleep: async () => {},
  });
  w.closers.push(async () => {
    await links.stop();
    await refreshLock.close();
    await store.close();
  });
  return links;
}

/** /login on `started`, the browser's callback on `called`, /start on `confirmed`. */
async function link(w: World, userId: number, started: LinkService<unknown>, called: LinkService<unknown>, confirmed: LinkService<unknown>) {
  w.spotify.setLoginOutcome({ as: "alice" });
  const { authorizeUrl } = await started.startLogin(userId);
  const redirect = await w.spotify.login(authorizeUrl);
  const outcome = await called.handleCallback({ state: redirect.state!, code: redirect.code! }, { correlationId: 'test' });
  assert.is(outcome.kind, 'completed');
  if (outcome.kind !== 'completed') return;
  assert.is((await confirmed.confirm(userId, outcome.completionId)).kind, 'linked');
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const until = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within 5 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Shared('a login started on one process completes on another and is confirmed on a third', async (w) => {
  const [a, b, c] = [await instance(w), await instance(w), await instance(w)];
  await link(w, 7, a, b, c);
  for (const s of [a, b, c]) assert.is((await s.status(7)).state, 'linked');
  assert.ok((await b.accessToken(7)).length > 0);
});

Shared('an expired token wanted by two processes at once is refreshed exactly once; both serve the new one', async (w) => {
  const [a, b] = [await instance(w), await instance(w)];
  await link(w, 7, a, a, a);
  const old = await b.accessToken(7); // warm in both processes
  assert.is(await a.accessToken(7), old);
  w.clock.advance(2 * 3600_000);
  const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).accessToken(7)));
  assert.is(w.spotify.count('token', { grantType: 'refresh_token' }), 1, 'one refresh across the processes');
  assert.is(new Set(tokens).size, 1);
  assert.is.not(tokens[0], old);
  assert.is((await b.status(7)).state, 'linked', 'a second refresh of the rotated token would have revoked the link');
});

Shared('an unlink on one process ends the link on the other, which had the token warm', async (w) => {
  const [a, b] = [await instance(w), await instance(w)];
  await link(w, 7, a, a, a);
  await a.accessToken(7);
  await b.unlink(7);
  await eventually(async () => (await a.accessToken(7).then(() => false, (e: unknown) => e instanceof NotLinkedError)), 'the other process stops serving the token');
  await rejects(a.accessToken(7), (e) => e instanceof NotLinkedError);
});

Shared.run();
