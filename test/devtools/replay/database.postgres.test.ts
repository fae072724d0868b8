/**
 * `npm run replay -- … --database-url`: the replay commands on a PostgreSQL log, run as the
 * operator runs them (a child process), against a log the link service wrote.
 */
import pg from 'pg';
import pino from 'pino';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { masterKey } from '../../../eventlog/index.ts';
import { openPostgresEventStore, openPostgresTokenVault } from '../../../eventlog/postgres/index.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import { createLinkRegistry } from '../../../src/link/linkLog.ts';
import { LinkService } from '../../../src/link/linkService.ts';
import { linkProjections } from '../../../src/link/projections.ts';
import type { Logger } from '../../../src/log.ts';
import { AccountsClient } from '../../../src/spotify/accountsClient.ts';
import { createProfileReader } from '../../../src/spotify/profile.ts';
import { startFakeSpotify, type FakeSpotify } from '../../helpers/fakeSpotify.ts';
import { REDIRECT_URI } from '../../helpers/linkHarness.ts';
import { freshDatabase } from '../../helpers/postgresCluster.ts';
import { runReplay } from '../../helpers/runReplay.ts';

const Replay = suite<{ url: string; spotify: FakeSpotify; drop(): Promise<void> }>('replay on a PostgreSQL log');

// The test cluster trusts loopback connections: the password is accepted, ignored, and looked for in the output.
const PASSWORD = 'replay-pw-7Hq2';

Replay.before(async (ctx) => {
  const db = await freshDatabase();
  ctx.drop = db.drop;
  ctx.url = db.url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);
  ctx.spotify = await startFakeSpotify({ redirectUris: [REDIRECT_URI] });
  // A user links Spotify through the link service on the database, as the bot would.
  const store = await openPostgresEventStore<LinkEvent>({ connectionString: ctx.url, registry: createLinkRegistry(), projections: [...linkProjections] });
  const vault = await openPostgresTokenVault({ store, masterKeys: [masterKey(Buffer.alloc(32, 9))] });
  const { spotify } = ctx;
  const links = new LinkService({
    store,
    vault,
    accounts: new AccountsClient({ accountsUrl: spotify.accountsUrl, clientId: spotify.clientId, clientSecret: spotify.clientSecret, redirectUri: REDIRECT_URI }),
    profiles: createProfileReader({ apiUrl: spotify.apiUrl }),
    notifier: { notify: async () => {} },
    logger: pino({ level: 'silent' }) as unknown as Logger,
  });
  spotify.setLoginOutcome({ as: 'alice' });
  const { authorizeUrl } = await links.startLogin(7);
  const redirect = await spotify.login(authorizeUrl);
  const outcome = await links.handleCallback({ state: redirect.state!, code: redirect.code! }, { correlationId: 'test' });
  if (outcome.kind !== 'completed') throw new Error(outcome.kind);
  await links.confirm(7, outcome.completionId);
  await links.stop();
  await store.close();
});
Replay.after(async (ctx) => {
  await ctx.spotify.close();
  await ctx.drop();
});

const clean = (ctx: { spotify: FakeSpotify }, text: string) => {
  assert.not.ok(text.includes(PASSWORD), 'the password is never printed');
  assert.equal(ctx.spotify.leaksIn(text), [], 'no token, code or verifier');
};

Replay('users and history read the PostgreSQL log; the URL can come from DATABASE_URL', async (ctx) => {
  const users = await runReplay(['users', '--json', '--database-url', ctx.url]);
  assert.is(users.code, 0, users.stderr);
  assert.equal(users.json().users.map((u: { userId: number; state: string }) => [u.userId, u.state]), [[7, 'linked']]);
  clean(ctx, users.stdout + users.stderr);
  const history = await runReplay(['history', '7', '--database-url', 'env'], { env: { DATABASE_URL: ctx.url } });
  assert.is(history.code, 0, history.stderr);
  for (const type of ['LoginStarted', 'GrantReceived', 'LinkConfirmed']) assert.match(history.stdout, type);
  clean(ctx, history.stdout + history.stderr);
});

Replay('verify finds a row changed behind the store\'s back; rebuild repairs it', async (ctx) => {
  assert.is((await runReplay(['verify', '--database-url', ctx.url])).code, 0, 'clean at first');
  const client = new pg.Client({ connectionString: ctx.url });
  await client.connect();
  try {
    const { rowCount } = await client.query(`UPDATE eventlog.projection_rows SET value = jsonb_set(value, '{version}', '99') WHERE projection = 'link_state'`);
    assert.is(rowCount, 1);
  } finally {
    await client.end();
  }
  const drift = await runReplay(['verify', '--json', '--database-url', ctx.url]);
  assert.is(drift.code, 1);
  assert.equal(drift.json().differences.map((d: { projection: string; kind: string }) => [d.projection, d.kind]), [['link_state', 'different']]);
  const rebuilt = await runReplay(['rebuild', '--database-url', ctx.url]);
  assert.is(rebuilt.code, 0, rebuilt.stderr);
  assert.is((await runReplay(['verify', '--database-url', ctx.url])).code, 0, 'clean after the rebuild');
});

Replay('LevelDB-only commands and a bad URL are refused in one clear answer', async (ctx) => {
  const backup = await runReplay(['backup', '/tmp/x.mbk', '--database-url', ctx.url]);
  assert.is(backup.code, 2);
  assert.match(backup.stderr, 'pg_dump');
  const bad = await runReplay(['users', '--database-url', 'mysql://x']);
  assert.is(bad.code, 2);
  const unreachable = await runReplay(['users', '--database-url', ctx.url.replace(/:\d+\//, ':1/')]);
  assert.is(unreachable.code, 1);
  assert.match(unreachable.stderr, 'cannot open the event log');
  clean(ctx, backup.stderr + bad.stderr + unreachable.stderr);
});

Replay.run();
