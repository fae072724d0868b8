/**
 * The "Send all" lease on both backends, as two instances see it: while one instance's run
 * holds a user's lease the other cannot start one for that user (other users are free); the
 * holder renews it; once given back, or lapsed because its instance died, the next run starts;
 * a late release of a lapsed lease does not end the run that took it over. Two instances
 * racing for one user get one lease between them.
 */
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MemorySendAllRuns, type SendAllRuns } from '../../../src/bot/musicChat/sendAllRuns.ts';
import { PgSendAllRuns } from '../../../src/bot/musicChat/pgSendAllRuns.ts';
import { openPostgresAudioCache } from '../../../src/music/cache/pgAudioCache.ts';
import { testDatabase } from '../../helpers/postgresCluster.ts';

const database = testDatabase();
const pools: pg.Pool[] = [];
let n = 0;

interface Backend {
  name: string;
  /** Two instances on one storage, and a clock to move. */
  open(): Promise<{ a: SendAllRuns; b: SendAllRuns; age(ms: number): Promise<void> }>;
}

const memory: Backend = {
  name: 'memory',
  async open() {
    let now = 1_000;
    const runs = new MemorySendAllRuns(() => now);
    return { a: runs, b: runs, age: async (ms) => void (now += ms) };
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  async open() {
    const pool = new pg.Pool({ connectionString: (await database).url });
    pools.push(pool);
    const schema = `runs_${++n}`;
    await openPostgresAudioCache(pool, schema); // migrates the music schema, as the app does
    return {
      a: new PgSendAllRuns(pool, schema),
      b: new PgSendAllRuns(pool, schema),
      age: async (ms) => void (await pool.query(`UPDATE ${schema}.send_all_runs SET lease_until = lease_until - make_interval(secs => $1::float8 / 1000)`, [ms])),
    };
  },
};

const MINUTE = 60_000;

for (const backend of [memory, postgres]) {
  const test = suite(`Send all runs: ${backend.name}`);

  test('a run on one instance keeps the other from starting one for that user, not for others', async () => {
    const { a, b } = await backend.open();
    assert.ok(await a.claim(7, 'run-a', MINUTE));
    assert.not.ok(await b.claim(7, 'run-b', MINUTE), 'the second tap, on another instance');
    assert.ok(await b.claim(8, 'run-c', MINUTE), 'another user');
    assert.ok(await a.claim(7, 'run-a', MINUTE), 'the holder renews');
    await a.release(7, 'run-a');
    assert.ok(await b.claim(7, 'run-b', MINUTE), 'free once the run ended');
  });

  test('a lease whose instance died lapses; its late release leaves the new run alone', async () => {
    const { a, b, age } = await backend.open();
    assert.ok(await a.claim(7, 'run-a', MINUTE));
    await age(MINUTE - 5_000);
    assert.not.ok(await b.claim(7, 'run-b', MINUTE), 'not before it lapses');
    await age(10_000);
    assert.ok(await b.claim(7, 'run-b', MINUTE));
    await a.release(7, 'run-a');
    assert.not.ok(await a.claim(7, 'run-d', MINUTE), 'run-b still holds it');
  });

  test('two instances racing for one user get one lease between them', async () => {
    const { a, b } = await backend.open();
    for (let user = 100; user < 120; user++) {
      const got = await Promise.all([a.claim(user, `a-${user}`, MINUTE), b.claim(user, `b-${user}`, MINUTE)]);
      assert.is(got.filter(Boolean).length, 1, `user ${user}: ${got}`);
    }
  });

  test.after(async () => {
    for (const pool of pools.splice(0)) await pool.end();
    if (backend === postgres) await (await database).drop();
  });
  test.run();
}
