/**
 * Scale-out benchmark (issue 13), prints, never asserts: (a) durable appends on PostgreSQL,
 * here; (b) link → audio with 1, 2 and 4 download workers on one PostgreSQL queue, in
 * `scaleWorkers.ts` (run after (a), on the same cluster).
 *
 * A throwaway cluster (`test/helpers/postgresCluster.ts`: `fsync` and `synchronous_commit`
 * on, its defaults) gets, per round, N users (default 1000) appending one small event each at
 * the same time:
 *
 * - **ours**: `appendToStream` of the PostgreSQL event store (`eventlog/postgres`), with one
 *   inline projection (a row per user, like `link_state`), on a pool of `POOL` connections;
 * - **raw INSERTs**: the same rows (the stored record, a projection row) inserted by N concurrent
 *   single-transaction `INSERT`s on a pool of the same size, each durable on its own commit –
 *   what an application that writes an event row and a state row per request does;
 * - for scale, not a target: every row of the round in one multi-row `INSERT` pair and one
 *   commit – the floor any group commit approaches;
 * - **Emmett**: `@event-driven-io/emmett-postgresql`'s event store (a dev dependency)
 *   appending the same events to the same streams with the same expected versions, on the same
 *   database, with its default pool.
 *
 * Each round writes fresh streams; the three are interleaved, R rounds (default 7), medians
 * compared.
 *
 * `SCALE_BENCH_USERS`, `SCALE_BENCH_ROUNDS` shrink (a); `SCALE_BENCH_PARTS=a` or `=b` runs one
 * part (the other variables are in `scaleWorkers.ts`). Run with `npm run bench -- scale`.
 *
 * @module
 */
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { NO_STREAM } from '../eventlog/index.ts';
import { openPostgresEventStore } from '../eventlog/postgres/index.ts';
import { runWorkers } from './scaleWorkers.ts';
import { perUser, Played, registry } from './trackPlayed.ts';
import { createDatabase, startPostgresCluster } from '../test/helpers/postgresCluster.ts';

const POOL = 10;
const env = (name: string, fallback: number): number => {
  const n = Number(process.env[name]);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}


/** Runs the benchmark against a cluster of its own (removed afterwards). */
export async function run(): Promise<void> {
  const parts = process.env.SCALE_BENCH_PARTS?.trim() || 'ab';
  const cluster = await startPostgresCluster();
  try {
    if (parts.includes('a')) await appends(cluster.url);
    if (parts.includes('b')) await runWorkers(cluster.url);
  } finally {
    cluster.stop();
  }
}

/** Part (a): the three stores' appends, on fresh databases of the cluster at `admin`. */
async function appends(admin: string): Promise<void> {
  const users = env('SCALE_BENCH_USERS', 1000);
  const rounds = env('SCALE_BENCH_ROUNDS', 7);
  const oursUrl = await createDatabase(admin, 'bench_ours');
  const rawUrl = await createDatabase(admin, 'bench_raw');
  const emmettUrl = await createDatabase(admin, 'bench_emmett');

  const pool = new pg.Pool({ connectionString: oursUrl, max: POOL });
  const store = await openPostgresEventStore({ pool, registry, projections: [perUser] });

  const raw = new pg.Pool({ connectionString: rawUrl, max: POOL });
  await raw.query(`CREATE TABLE events (global_position bigserial PRIMARY KEY, stream text NOT NULL, stream_position integer NOT NULL,
    record text NOT NULL, UNIQUE (stream, stream_position))`);
  await raw.query(`CREATE TABLE per_user (key text PRIMARY KEY, value jsonb NOT NULL)`);
  const sampleRecord = await (async () => {
    await store.appendToStream('warm-up', [Played.of({ track: 'warm', ms: 1 })], { expectedVersion: NO_STREAM });
    const { rows } = await pool.query<{ record: string }>(`SELECT record FROM ${store.schema}.events LIMIT 1`);
    return rows[0]!.record;
  })();

  const emmett = getPostgreSQLEventStore(emmettUrl);
  // Emmett creates its schema on first use: do that outside the timing.
  await emmett.appendToStream('warm-up', [{ type: 'TrackPlayed', data: { track: 'warm', ms: 1 } }]);

  const oursMs: number[] = [];
  const rawMs: number[] = [];
  const emmettMs: number[] = [];
  const batchMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const streams = Array.from({ length: users }, (_, u) => `user-${r}-${u}`);
    oursMs.push(
      await timed(() =>
        Promise.all(streams.map((s) => store.appendToStream(s, [Played.of({ track: `t-${s}`, ms: 180_000 })], { expectedVersion: NO_STREAM }))),
      ),
    );
    rawMs.push(
      await timed(() =>
        Promise.all(
          streams.map(async (s) => {
            const client = await raw.connect();
            try {
              await client.query('BEGIN');
              await client.query('INSERT INTO events (stream, stream_position, record) VALUES ($1, 0, $2)', [s, sampleRecord]);
              await client.query('INSERT INTO per_user (key, value) VALUES ($1, $2)', [s, { n: 1, track: `t-${s}` }]);
              await client.query('COMMIT');
            } finally {
              client.release();
            }
          }),
        ),
      ),
    );
    // The floor of any group commit: every row of the round in one multi-row INSERT, one commit.
    const batchStreams = streams.map((s) => `b-${s}`);
    batchMs.push(
      await timed(async () => {
        const client = await raw.connect();
        try {
          await client.query('BEGIN');
          await client.query('INSERT INTO events (stream, stream_position, record) SELECT s, 0, $2 FROM unnest($1::text[]) AS s', [batchStreams, sampleRecord]);
          await client.query(`INSERT INTO per_user (key, value) SELECT s, jsonb_build_object('n', 1, 'track', 't-' || s) FROM unnest($1::text[]) AS s`, [batchStreams]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }),
    );
    emmettMs.push(
      await timed(() =>
        Promise.all(
          streams.map((s) =>
            emmett.appendToStream(s, [{ type: 'TrackPlayed', data: { track: `t-${s}`, ms: 180_000 } }], { expectedStreamVersion: STREAM_DOES_NOT_EXIST }),
          ),
        ),
      ),
    );
  }
  const rate = (ms: number[]): string => `${fmt((users / median(ms)) * 1000).padStart(7)} appends/s  (${median(ms).toFixed(0)} ms per round)`;
  console.log(`(a) durable appends on PostgreSQL, ${fmt(users)} users x 1 event, concurrent, median of ${rounds} interleaved rounds (pools of ${POOL})`);
  console.log(`    ours (group commit + inline projection): ${rate(oursMs)}`);
  console.log(`    raw INSERTs, one transaction each:       ${rate(rawMs)}`);
  console.log(`    Emmett (emmett-postgresql 0.42.0):       ${rate(emmettMs)}`);
  console.log(`    (for scale: all rows in one INSERT pair, one commit: ${rate(batchMs)}, ours/that ${(median(batchMs) / median(oursMs)).toFixed(2)})`);
  console.log(`    ratio ours/raw ${(median(rawMs) / median(oursMs)).toFixed(2)} (target >= 0.5), ours/Emmett ${(median(emmettMs) / median(oursMs)).toFixed(2)} (target >= 1.0)`);

  await emmett.close();
  await store.close();
  await pool.end();
  await raw.end();
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
