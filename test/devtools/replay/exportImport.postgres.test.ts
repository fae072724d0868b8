/**
 * `replay export` / `replay import` between LevelDB and PostgreSQL (issue 13), as child
 * processes, on a log the link service wrote (`replayLog.ts`: logins, token refreshes, an
 * unlink that shreds a key): LevelDB → PostgreSQL → LevelDB, the tokens still open with the
 * same master key, and the refusals that must leave the database untouched.
 */
import { join } from 'node:path';
import { readFile, rm, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DataKeyShreddedError, masterKey, MasterKeyMismatchError, NO_STREAM, openEventStore, type EventStore } from '../../../eventlog/index.ts';
import { denied, granted, LINKED, started } from '../../helpers/linkFixtures.ts';
import { dbLocation } from '../../../src/storage/dataDir.ts';
import { openPostgresEventStore, openPostgresTokenVault } from '../../../eventlog/postgres/index.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import { createLinkRegistry } from '../../../src/link/linkLog.ts';
import { sealedValuesInLog } from '../../helpers/linkHarness.ts';
import { withLines } from '../../helpers/exportFiles.ts';
import { freshDatabase } from '../../helpers/postgresCluster.ts';
import { generateLinkLog, LOG_USERS, tempDataDir, type GeneratedLog } from '../../helpers/replayLog.ts';
import { runReplay, type ReplayRun } from '../../helpers/runReplay.ts';

interface Ctx {
  log: GeneratedLog;
  work: string;
  file: string;
  url: string;
  drops: Array<() => Promise<void>>;
}
const Pg = suite<Ctx>('replay export / import between LevelDB and PostgreSQL');

// The test cluster trusts loopback connections: the password is accepted, ignored, and looked for in the output.
const PASSWORD = 'export-pw-Q8r1';

async function database(ctx: Ctx): Promise<string> {
  const db = await freshDatabase();
  ctx.drops.push(db.drop);
  return db.url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const quiet = (r: ReplayRun) => {
  assert.not.ok((r.stdout + r.stderr).includes(PASSWORD), 'the password is never printed');
  return r;
};

Pg.before(async (ctx) => {
  ctx.drops = [];
  ctx.log = await generateLinkLog();
  ctx.work = await tempDataDir('export-pg');
  ctx.file = join(ctx.work, 'from-leveldb.ndjson');
  const r = await runReplay(['export', ctx.log.dataDir, '--out', ctx.file]);
  if (r.code !== 0) throw new Error(r.stderr);
  ctx.url = await database(ctx);
});
Pg.after(async (ctx) => {
  for (const drop of ctx.drops) await drop();
  await ctx.log.dispose();
  await rm(ctx.work, { recursive: true, force: true });
});

Pg('LevelDB → PostgreSQL: counts reported, verify clean, users and history read as on the source', async (ctx) => {
  const r = quiet(await runReplay(['import', ctx.file, '--database-url', 'env', '--json'], { env: { DATABASE_URL: ctx.url } }));
  assert.is(r.code, 0, r.stdout + r.stderr);
  const report = r.json();
  const [row] = await query<{ n: string }>(ctx.url, 'SELECT count(*)::text AS n FROM eventlog.events');
  assert.equal([report.ok, report.events, report.streams, report.sameAsFile], [true, Number(row!.n), 9, true]);
  assert.ok(report.dataKeys > 0 && report.keyChecks === 1);
  assert.match(report.target, 'postgres://postgres:***@');
  assert.is(quiet(await runReplay(['verify', '--database-url', ctx.url])).code, 0);
  for (const args of [['users', '--json'], ['history', String(LOG_USERS.relinked), '--json'], ['history', String(LOG_USERS.unlinked), '--json']]) {
    const before = await runReplay(args, { dataDir: ctx.log.dataDir });
    const after = quiet(await runReplay([...args, '--database-url', ctx.url]));
    assert.is(after.code, 0, after.stderr);
    assert.equal({ ...after.json(), dataDir: '' }, { ...before.json(), dataDir: '' }, args.join(' '));
  }
});

Pg('the moved keys open the tokens with the same master key; the shredded user stays unreadable; another key is refused', async (ctx) => {
  const store = await openPostgresEventStore<LinkEvent>({ connectionString: ctx.url, registry: createLinkRegistry() });
  try {
    const vault = await openPostgresTokenVault({ store, masterKeys: [masterKey(Buffer.alloc(32, 9))] });
    const { values } = await sealedValuesInLog(store as unknown as EventStore<LinkEvent>);
    const linked = values.filter((v) => v.userId === LOG_USERS.relinked && v.field === 'refreshToken').at(-1)!;
    const keyOf = async (userId: number) => {
      const events = await store.readStream(`link-${userId}`);
      return [...events].reverse().find((e) => 'keyId' in e.data)!.data as { keyId: string };
    };
    const opened = await vault.open((await keyOf(LOG_USERS.relinked)).keyId, linked.sealed, String(LOG_USERS.relinked));
    assert.ok(ctx.log.plaintext.includes(opened), 'a refresh token the fake Spotify issued');
    const shredded = values.find((v) => v.userId === LOG_USERS.unlinked)!;
    try {
      await vault.open((await keyOf(LOG_USERS.unlinked)).keyId, shredded.sealed, String(LOG_USERS.unlinked));
      assert.unreachable('the unlinked user\'s key was shredded before the export');
    } catch (err) {
      assert.instance(err, DataKeyShreddedError);
    }
    try {
      await openPostgresTokenVault({ store, masterKeys: [masterKey(Buffer.alloc(32, 7))] });
      assert.unreachable('the key check values moved with the keys');
    } catch (err) {
      assert.instance(err, MasterKeyMismatchError);
    }
  } finally {
    await store.close();
  }
});

/** The appends a subscription from position 0 hands over, as lists of global positions. */
async function appendsFrom0(store: Pick<EventStore<LinkEvent>, 'subscribe'>, head: number): Promise<number[][]> {
  const appends: number[][] = [];
  await new Promise<void>((resolve) => {
    const stop = store.subscribe(
      (events) => {
        appends.push(events.map((e) => e.meta.globalPosition));
        if (events.at(-1)!.meta.globalPosition === head) {
          stop();
          resolve();
        }
      },
      { from: 0 },
    );
  });
  return appends;
}

Pg('appends of several events stay whole: a subscription from 0 sees the same appends on the imported log', async (ctx) => {
  // The generated log has one event per append; this one has appends of three and two.
  const dir = join(ctx.work, 'multi');
  const source = await openEventStore<LinkEvent>({ location: dbLocation(dir), registry: createLinkRegistry() });
  let expected: number[][];
  try {
    await source.appendToStream('link-1', LINKED, { expectedVersion: NO_STREAM });
    await source.appendToStream('link-2', [started()], { expectedVersion: NO_STREAM, correlationId: 'same' });
    await source.appendToStream('link-3', [started(), denied()], { expectedVersion: NO_STREAM, correlationId: 'same' });
    await source.appendToStream('link-2', [granted()], { expectedVersion: 0, correlationId: 'same' });
    expected = await appendsFrom0(source, 6);
  } finally {
    await source.close();
  }
  assert.equal(expected, [[0, 1, 2], [3], [4, 5], [6]]);
  const file = join(ctx.work, 'multi.ndjson');
  assert.is((await runReplay(['export', dir, '--out', file])).code, 0);
  const url = await database(ctx);
  const r = await runReplay(['import', file, '--database-url', url]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const target = await openPostgresEventStore<LinkEvent>({ connectionString: url, registry: createLinkRegistry(), pollIntervalMs: 100 });
  try {
    assert.equal(await appendsFrom0(target as unknown as EventStore<LinkEvent>, 6), expected);
  } finally {
    await target.close();
  }
});

Pg('PostgreSQL → LevelDB: the round trip gives the same file, byte for byte but for the source', async (ctx) => {
  const fromPg = join(ctx.work, 'from-postgres.ndjson');
  const r = quiet(await runReplay(['export', '--database-url', ctx.url, '--out', fromPg]));
  assert.is(r.code, 0, r.stderr);
  const original = await readFile(ctx.file, 'utf8');
  const exported = await readFile(fromPg, 'utf8');
  assert.match(exported.slice(0, exported.indexOf('\n')), '"source":"postgresql"');
  assert.is(exported.slice(exported.indexOf('\n')), original.slice(original.indexOf('\n')));
  const back = join(ctx.work, 'back');
  const imported = await runReplay(['import', fromPg, back]);
  assert.is(imported.code, 0, imported.stdout + imported.stderr);
  const again = join(ctx.work, 'again.ndjson');
  assert.is((await runReplay(['export', back, '--out', again])).code, 0);
  assert.is(await readFile(again, 'utf8'), original);
});

Pg('a non-empty log is refused with nothing written; a bad file never reaches the database', async (ctx) => {
  const count = async (url: string) => (await query<{ n: string }>(url, 'SELECT (SELECT count(*) FROM eventlog.events) + (SELECT count(*) FROM eventlog.vault_keys) AS n'))[0]!.n;
  const before = await count(ctx.url);
  const again = quiet(await runReplay(['import', ctx.file, '--database-url', ctx.url]));
  assert.is(again.code, 1);
  assert.match(again.stderr, /is not empty: \d+ event\(s\), \d+ data key\(s\); nothing was imported/);
  assert.is(await count(ctx.url), before);

  const empty = await database(ctx);
  const text = await readFile(ctx.file, 'utf8');
  const bad = {
    truncated: text.trimEnd().split('\n').slice(0, -1).join('\n') + '\n',
    tampered: withLines(text, (l) => (l.kind === 'dataKey' ? { ...l, wrapped: { ...l.wrapped, dk: 'ffffffff' } } : l)),
  };
  for (const [name, content] of Object.entries(bad)) {
    const file = join(ctx.work, `${name}.ndjson`);
    await writeFile(file, content);
    const r = quiet(await runReplay(['import', file, '--database-url', empty]));
    assert.is(r.code, 1, name);
    assert.match(r.stderr, name === 'truncated' ? 'truncated' : 'checksum mismatch');
  }
  // Checked before connecting: not even the migrations ran.
  assert.equal(await query(empty, "SELECT to_regclass('eventlog.events') AS t"), [{ t: null }]);
});

Pg.run();
