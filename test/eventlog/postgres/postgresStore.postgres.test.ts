/**
 * What the PostgreSQL event log adds to the shared contract (`test/eventlog/contract/`):
 * migrations under concurrent openers and `npm run migrate`, a second *process* appending
 * to the same log, extra SQL statements committed with an append, projections rebuilt at
 * open when they are new or changed.
 */
import { spawn } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { NO_STREAM, ProjectionsBehindError, VersionConflictError, type Projection } from '../../../eventlog/index.ts';
import { MIGRATIONS, openPostgresEventStore, type PostgresEventStore } from '../../../eventlog/postgres/index.ts';
import { MUSIC_MIGRATIONS } from '../../../src/music/cache/pgAudioCache.ts';
import { runMigrate } from '../../../src/storage/migrateCli.ts';
import { testDatabase } from '../../helpers/postgresCluster.ts';
import { rejects } from '../../helpers/rejects.ts';
import { counters, Incremented, registry, totals, type CounterEvent } from '../fixtures/counterEvents.ts';

const database = testDatabase();
let n = 0;
const nextSchema = () => `pgstore_${++n}`;
const inc = (by: number) => Incremented.of({ by, note: '' });

const Pg = suite('PostgreSQL event log');
Pg.after(async () => (await database).drop());

Pg('five instances opening at once apply each migration exactly once; reopening applies none', async () => {
  const { url } = await database;
  const schema = nextSchema();
  const stores = await Promise.all(Array.from({ length: 5 }, () => openPostgresEventStore({ connectionString: url, schema, registry, projections: [counters] })));
  await Promise.all(stores.map((s) => s.close()));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
  await client.end();
  assert.equal(rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
  const lines: string[] = [];
  assert.is(await runMigrate(['--schema', schema, '--music-schema', `${schema}_music`], { DATABASE_URL: url }, (l) => lines.push(l)), 0);
  assert.match(lines[0]!, /event log \(schema pgstore_\d+\): up to date/);
  assert.match(lines[1]!, new RegExp(`music cache .*: applied migrations ${MUSIC_MIGRATIONS.map((m) => m.version).join(', ')} `));
});

Pg('npm run migrate migrates an empty database and never prints the password', async () => {
  const { url } = await database;
  // Trust authentication on the test cluster accepts any password: enough to see it is not printed.
  const withPassword = url.replace('postgres@', 'postgres:hunter2secret@');
  const lines: string[] = [];
  const schema = nextSchema();
  assert.is(await runMigrate(['--schema', schema, '--music-schema', `${schema}_music`], { DATABASE_URL: withPassword }, (l) => lines.push(l)), 0);
  const latest = MIGRATIONS.at(-1)!.version;
  assert.match(lines.join('\n'), new RegExp(`applied migrations? ${MIGRATIONS.map((m) => m.version).join(', ')} \\(now at version ${latest}\\)`));
  assert.match(lines.join('\n'), /postgres:\*\*\*@/);
  assert.not.match(lines.join('\n'), /hunter2/);
  // The download queue's tables exist before any bot starts (pg-boss's own schema).
  assert.match(lines.at(-1)!, `download queue (schema ${schema}_queue): ready`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ job: string | null }>(`SELECT to_regclass('${schema}_queue.job')::text AS job`);
  await client.end();
  assert.is(rows[0]!.job, `${schema}_queue.job`);
  const failed: string[] = [];
  assert.is(await runMigrate([], { DATABASE_URL: 'postgres://bot:hunter2secret@127.0.0.1:1/none' }, (l) => failed.push(l)), 1);
  assert.not.match(failed.join('\n'), /hunter2/);
  assert.is(await runMigrate([], {}, (l) => failed.push(l)), 2);
});

Pg('a second process appends to the same log: positions stay contiguous, a subscriber here hears both, one of two racing appends wins', async () => {
  const { url } = await database;
  const schema = nextSchema();
  const store = await openPostgresEventStore({ connectionString: url, schema, registry, pollIntervalMs: 600_000 });
  try {
    await store.appendToStream('race', [inc(0)], { expectedVersion: NO_STREAM });
    const heard: number[] = [];
    let resolveAll!: () => void;
    const allHeard = new Promise<void>((r) => (resolveAll = r));
    const total = 1 + 40 + 40 + 1; // first race event, child's 40, ours 40, the race winner
    const stop = store.subscribe((events) => {
      heard.push(...events.map((e) => e.meta.globalPosition));
      if (heard.length >= total) resolveAll();
    }, { from: 0 });
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('../fixtures/pgChildAppender.ts', import.meta.url).pathname, url, schema, '40', '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let ready!: () => void;
    const childReady = new Promise<void>((r) => (ready = r));
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('ready')) ready();
    });
    const exited = new Promise<number | null>((r) => child.on('close', r));
    // Start both at once, after the child opened its store.
    await Promise.race([childReady, exited]);
    child.stdin.end('go\n');
    const ours = Promise.all(Array.from({ length: 40 }, (_, i) => store.appendToStream(`parent-${i % 3}`, [inc(i)], { expectedVersion: 'any' })));
    const ourRace = store.appendToStream('race', [inc(1)], { expectedVersion: 0 }).then(() => true, (e) => (e instanceof VersionConflictError ? false : Promise.reject(e)));
    await ours;
    assert.is(await exited, 0, 'the child process finished its appends');
    const childResult = JSON.parse(out.trim().split('\n').at(-1)!) as { positions: number[]; raceWon: boolean };
    assert.is(childResult.positions.length, 40);
    assert.is([await ourRace, childResult.raceWon].filter(Boolean).length, 1, 'exactly one racing append won, across processes');
    await allHeard;
    stop();
    assert.equal(heard, [...Array(total).keys()], 'the subscriber heard every event of both processes once, in order');
    assert.is(await store.streamVersion('race'), 1);
  } finally {
    await store.close();
  }
});

Pg('extra SQL statements commit with the append and are not run when it is rejected', async () => {
  const { url } = await database;
  const schema = nextSchema();
  const store = await openPostgresEventStore({ connectionString: url, schema, registry });
  try {
    await store.pool.query(`CREATE TABLE ${schema}.data_keys (id text PRIMARY KEY, wrapped text NOT NULL)`);
    const put = (id: string) => ({ text: `INSERT INTO ${schema}.data_keys VALUES ($1, 'wrapped')`, values: [id] });
    await store.appendToStream('link-1', [inc(1)], { expectedVersion: NO_STREAM, extraOps: [put('link-1')] });
    await rejects(store.appendToStream('link-1', [inc(2)], { expectedVersion: NO_STREAM, extraOps: [put('link-1b')] }), (e) => e instanceof VersionConflictError);
    // A statement that fails takes its own append down, and only it.
    const [bad, good] = await Promise.allSettled([
      store.appendToStream('link-2', [inc(3)], { expectedVersion: NO_STREAM, extraOps: [put('link-1')] }),
      store.appendToStream('link-3', [inc(4)], { expectedVersion: NO_STREAM, extraOps: [put('link-3')] }),
    ]);
    assert.is(bad.status, 'rejected');
    assert.is(good.status, 'fulfilled');
    await store.appendToStream('link-1', [inc(5)], { expectedVersion: 0, extraOps: [{ text: `DELETE FROM ${schema}.data_keys WHERE id = $1`, values: ['link-1'] }] });
    const { rows } = await store.pool.query(`SELECT id FROM ${schema}.data_keys ORDER BY id`);
    assert.equal(rows.map((r) => r.id), ['link-3']);
    assert.equal((await store.readStream('link-2')).length, 0);
  } finally {
    await store.close();
  }
});

Pg('a projection that is new or of a new version is rebuilt when the store opens', async () => {
  const { url } = await database;
  const schema = nextSchema();
  let store: PostgresEventStore<CounterEvent> = await openPostgresEventStore({ connectionString: url, schema, registry, projections: [counters] });
  await store.appendToStream('a', [inc(1), inc(2)], { expectedVersion: NO_STREAM });
  await store.appendToStream('b', [inc(3)], { expectedVersion: NO_STREAM });
  await store.close();
  store = await openPostgresEventStore({ connectionString: url, schema, registry, projections: [counters, totals] });
  assert.equal(await store.table('totals').get('all'), { n: 3 }, 'the new projection saw the whole log');
  await store.close();
  const doubled: Projection<CounterEvent, { value: number }> = {
    name: 'counters',
    version: 2,
    evolve(e, t) {
      if (e.type === 'Incremented') t.put(e.meta.stream, { value: (t.get(e.meta.stream)?.value ?? 0) + 2 * e.data.by });
    },
  };
  store = await openPostgresEventStore({ connectionString: url, schema, registry, projections: [doubled, totals] });
  try {
    assert.equal(await store.table('counters').get('a'), { value: 6 });
    assert.equal(await store.verify(), []);
  } finally {
    await store.close();
  }
});

Pg('verify names rows changed, removed or added behind the store’s back, and rebuild repairs them', async () => {
  const { url } = await database;
  const schema = nextSchema();
  const store = await openPostgresEventStore({ connectionString: url, schema, registry, projections: [counters, totals] });
  try {
    await store.appendToStream('a', [inc(1)], { expectedVersion: NO_STREAM });
    await store.appendToStream('b', [inc(2)], { expectedVersion: NO_STREAM });
    await store.pool.query(`UPDATE ${schema}.projection_rows SET value = '{"value": 99, "events": 1, "last": "x"}' WHERE projection = 'counters' AND key = 'a'`);
    await store.pool.query(`DELETE FROM ${schema}.projection_rows WHERE projection = 'counters' AND key = 'b'`);
    await store.pool.query(`INSERT INTO ${schema}.projection_rows VALUES ('totals', 'zz', '{"n": 1}')`);
    assert.equal(await store.verify(), [
      { projection: 'counters', key: 'a', kind: 'different' },
      { projection: 'counters', key: 'b', kind: 'missing' },
      { projection: 'totals', key: 'zz', kind: 'extra' },
    ]);
    await store.rebuild();
    assert.equal(await store.verify(), []);
    assert.equal((await store.table<{ value: number }>('counters').get('a'))?.value, 1);
  } finally {
    await store.close();
  }
});

Pg('an instance whose projections fell behind (another appended without them) refuses to append until reopened', async () => {
  const { url } = await database;
  const schema = nextSchema();
  const full = await openPostgresEventStore({ connectionString: url, schema, registry, projections: [counters, totals] });
  const partial = await openPostgresEventStore({ connectionString: url, schema, registry, projections: [counters] });
  try {
    await full.appendToStream('a', [inc(1)], { expectedVersion: NO_STREAM });
    await partial.appendToStream('a', [inc(2)], { expectedVersion: 0 });
    const err = await rejects(full.appendToStream('a', [inc(3)], { expectedVersion: 1 }), (e) => e instanceof ProjectionsBehindError);
    assert.equal((err as ProjectionsBehindError).projections, ['totals']);
    assert.is(await full.streamVersion('a'), 1, 'nothing of the refused append was written');
    const reopened = await openPostgresEventStore({ connectionString: url, schema, registry, projections: [counters, totals] });
    await reopened.appendToStream('a', [inc(3)], { expectedVersion: 1 });
    assert.equal(await reopened.table('totals').get('all'), { n: 3 });
    assert.equal(await reopened.verify(), []);
    await reopened.close();
  } finally {
    await Promise.all([full.close(), partial.close()]);
  }
});

Pg.run();
