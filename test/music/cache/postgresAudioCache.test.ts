/**
 * The `file_id` cache on PostgreSQL: the same answers as on LevelDB, shared by every instance
 * on the database (one salt for sealed keys, uploads seen at once).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openPostgresEventStore, type PostgresEventStore } from '../../../eventlog/postgres/index.ts';
import { openPostgresAudioCache } from '../../../src/music/cache/postgresAudioCache.ts';
import { freshDatabase } from '../../helpers/postgresCluster.ts';
import { registry } from '../../eventlog/fixtures/counterEvents.ts';

const C = suite<{ stores: PostgresEventStore<any>[]; url: string; drop(): Promise<void> }>('audio cache on PostgreSQL');
const audio = { fileId: 'CQACAgIAAxkB', title: 'Song', performer: 'Band', durationSec: 200, storedAt: 1 };

/** A bot instance's view of the database: its own pool, as a separate process would have. */
async function instance(ctx: { stores: PostgresEventStore<any>[]; url: string }) {
  const store = await openPostgresEventStore({ connectionString: ctx.url, registry });
  ctx.stores.push(store);
  return store;
}

C.before.each(async (ctx) => {
  const db = await freshDatabase();
  Object.assign(ctx, { stores: [], url: db.url, drop: db.drop });
});
C.after.each(async (ctx) => {
  for (const s of ctx.stores) await s.close();
  await ctx.drop();
});

C('an upload one instance cached is found by another, by every key and by the ISRC in any spelling', async (ctx) => {
  const a = openPostgresAudioCache(await instance(ctx));
  const b = openPostgresAudioCache(await instance(ctx));
  await a.put(['spotify:track:a', 'youtube:video:b'], 'usum71703861', audio);
  assert.equal(await b.get('spotify:track:a'), audio);
  assert.equal(await b.get('youtube:video:b'), audio);
  assert.equal(await b.getByIsrc('US-UM7-17-03861'), audio);
  assert.is(await b.get('deezer:track:1'), undefined);
  await b.delete(['spotify:track:a'], 'USUM71703861');
  assert.is(await a.get('spotify:track:a'), undefined);
  assert.is(await a.getByIsrc('usum71703861'), undefined);
  assert.equal(await a.get('youtube:video:b'), audio, 'only what was named is forgotten');
});

C('a damaged row reads as a miss, never a crash', async (ctx) => {
  const store = await instance(ctx);
  await store.pool.query(`INSERT INTO ${store.schema}.music_audio (key, value) VALUES ('k:x', '{not json'), ('k:y', '{"title":"no file id"}')`);
  const cache = openPostgresAudioCache(store);
  assert.is(await cache.get('x'), undefined);
  assert.is(await cache.get('y'), undefined);
});

C('instances asking for a sealed key at the same moment agree on one salt', async (ctx) => {
  const url = 'https://soundcloud.com/forss/flickermood/s-AbCdE';
  const caches = await Promise.all(Array.from({ length: 4 }, async () => openPostgresAudioCache(await instance(ctx))));
  const keys = await Promise.all(caches.map((c) => c.sealedKey(url)));
  assert.is(new Set(keys).size, 1, `one sealed key, got ${new Set(keys).size}`);
  assert.match(keys[0]!, /^sealed:[0-9a-f]{64}$/);
  assert.not.ok(keys[0]!.includes('AbCdE'));
  assert.is.not(await caches[0]!.sealedKey(url.replace('AbCdE', 'AbCdF')), keys[0]);
});

C.run();
