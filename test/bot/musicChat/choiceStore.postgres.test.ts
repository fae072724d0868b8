/**
 * The choice store on both backends: a choice put by one instance (the worker that offered it)
 * is read by another (the web instance that got the press) with its links, candidate and track
 * intact; unknown, expired and tampered choices read as gone, so the button answers "expired".
 */
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryChoiceStore, type Choice, type ChoiceStore } from '../../../src/bot/musicChat/choiceStore.ts';
import { LinkSeal } from '../../../src/bot/musicChat/linkSeal.ts';
import { PgChoiceStore } from '../../../src/bot/musicChat/pgChoiceStore.ts';
import { parseUrl, type MusicLink } from '../../../src/music/links/index.ts';
import { openPostgresAudioCache } from '../../../src/music/cache/pgAudioCache.ts';
import { testDatabase } from '../../helpers/postgresCluster.ts';

const database = testDatabase();
const masterKey = Buffer.alloc(32, 7);
const pools: pg.Pool[] = [];
let n = 0;

function link(url: string): MusicLink {
  const v = parseUrl(url);
  if (v.type !== 'link') throw new Error(`not a music link: ${url}`);
  return v.link;
}

const candidates: Choice = {
  kind: 'candidates',
  link: link('https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=x'),
  track: { title: 'Never Gonna Give You Up', artists: ['Rick Astley'], durationSec: 213, isrc: 'GBARL9300135', platform: 'spotify', pageUrl: 'https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC' },
  candidates: [
    { id: 'dQw4w9WgXcQ', title: 'Never Gonna Give You Up', uploader: 'Rick Astley - Topic', artists: ['Rick Astley'], durationSec: 213, source: 'youtube-music', url: 'https://music.youtube.com/watch?v=dQw4w9WgXcQ' },
    { id: 'yPYZpwSpKmA', title: 'Never Gonna Give You Up (Live)', uploader: 'RickAstleyVEVO', source: 'youtube', url: 'https://www.youtube.com/watch?v=yPYZpwSpKmA', views: 1200 },
  ],
};
const collection: Choice = {
  kind: 'collection',
  links: [link('https://www.deezer.com/track/3135556'), link('https://soundcloud.com/artist/private-demo/s-AbCdEfGh123')],
  names: ['Daft Punk — Harder, Better, Faster, Stronger', 'Artist — Demo'],
};

interface Backend {
  name: string;
  /** Whether stored rows can be edited behind the store's back (a shared database can). */
  shared: boolean;
  /** Two instances on one storage, and a clock to move. */
  open(): Promise<{ writer: ChoiceStore; reader: ChoiceStore; age(ms: number): Promise<void>; tamper?(id: string): Promise<void>; stored?(id: string): Promise<string>; readerWith?(keys: Uint8Array[]): ChoiceStore; insertRaw?(id: string, row: unknown): Promise<void> }>;
}

const memory: Backend = {
  name: 'memory',
  shared: false,
  async open() {
    let now = 1_000;
    const store = new MemoryChoiceStore({ now: () => now });
    return { writer: store, reader: store, age: async (ms) => void (now += ms) };
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  shared: true,
  async open() {
    const pool = new pg.Pool({ connectionString: (await database).url });
    pools.push(pool);
    const schema = `choices_${++n}`;
    await openPostgresAudioCache(pool, schema); // migrates the music schema, as the app does
    // Every instance has the same TOKEN_ENCRYPTION_KEY.
    const seal = () => new LinkSeal([masterKey]);
    return {
      writer: new PgChoiceStore(pool, { schema, seal: seal() }),
      reader: new PgChoiceStore(pool, { schema, seal: seal() }),
      readerWith: (keys) => new PgChoiceStore(pool, { schema, seal: new LinkSeal(keys) }),
      insertRaw: async (id, row) => void (await pool.query(`INSERT INTO ${schema}.choices (id, choice) VALUES ($1, $2)`, [id, JSON.stringify(row)])),
      stored: async (id) => (await pool.query<{ text: string }>(`SELECT choice::text AS text FROM ${schema}.choices WHERE id = $1`, [id])).rows[0]!.text,
      age: async (ms) => void (await pool.query(`UPDATE ${schema}.choices SET created_at = created_at - make_interval(secs => $1::float8 / 1000)`, [ms])),
      // Another version of the bot (or a hand edit) left a link whose key no longer matches.
      tamper: async (id) => void (await pool.query(`UPDATE ${schema}.choices SET choice = jsonb_set(choice, '{links,0,key}', '"deezer:track:1"') WHERE id = $1`, [id])),
    };
  },
};

for (const backend of [memory, postgres]) {
  const test = suite(`choice store: ${backend.name}`);

  test('a choice put by one instance is read whole by another', async () => {
    const { writer, reader } = await backend.open();
    const a = await writer.put(candidates);
    const b = await writer.put(collection);
    assert.match(a, /^[A-Za-z0-9_-]{10}$/);
    assert.is.not(a, b);
    assert.equal(await reader.get(a), candidates);
    assert.equal(await reader.get(b), collection);
    assert.is(await reader.get('AAAAAAAAAA'), undefined);
  });

  test('after 6 hours a choice is gone: its button answers "expired"', async () => {
    const { writer, reader, age } = await backend.open();
    const id = await writer.put(collection);
    await age(6 * 3600_000 - 60_000);
    assert.ok(await reader.get(id), 'still there just before');
    await age(120_000);
    assert.is(await reader.get(id), undefined);
  });

  if (backend.shared) {
    test('a stored link that no longer parses to its key reads as gone, not as some other track', async () => {
      const { writer, reader, tamper } = await backend.open();
      const id = await writer.put(collection);
      await tamper!(id);
      assert.is(await reader.get(id), undefined);
    });
  }

  if (backend.shared) {
    test('links are stored sealed: no URL, and no private link\'s secret, in the database; a rotated-away key reads as gone', async () => {
      const { writer, stored, readerWith } = await backend.open();
      const id = await writer.put(collection);
      const row = await stored!(id);
      assert.not.match(row, 's-AbCdEfGh123', 'the private link\'s secret token');
      assert.not.match(row, 'https://', 'no URL in the clear');
      assert.match(row, 'soundcloud:', 'the keys stay readable');
      const rotated = Buffer.alloc(32, 8);
      assert.equal(await readerWith!([rotated, masterKey]).get(id), collection, 'the old key, now a previous one, still opens');
      assert.is(await readerWith!([rotated]).get(id), undefined, 'without it the choice reads as gone');
    });

    test('a choice a bot from before sealing wrote (plain links) is still read during an upgrade', async () => {
      const { reader, insertRaw } = await backend.open();
      const plain = (l: MusicLink) => ({ url: l.url, original: l.original, key: l.key });
      const { links, names } = collection as Extract<Choice, { kind: 'collection' }>;
      await insertRaw!('OldVersion', { kind: 'collection', links: links.map(plain), names });
      assert.equal(await reader.get('OldVersion'), collection);
    });
  }

  test.after(async () => {
    for (const pool of pools.splice(0)) await pool.end();
    if (backend === postgres) await (await database).drop();
  });
  test.run();
}
