import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUrl, type MusicLink } from '../../../src/music/links/index.ts';
import { createDeezerResolver } from '../../../src/music/resolvers/deezerResolver.ts';
import { startFakeMusicSources, type FakeMusicSources } from '../../helpers/fakeMusicSources.ts';

const link = (url: string): MusicLink => {
  const v = parseUrl(url);
  if (v.type !== 'link') throw new Error(url);
  return v.link;
};
const ctx = { signal: new AbortController().signal };
const D = suite('Deezer resolver');
let sources: FakeMusicSources;
D.before(async () => {
  sources = await startFakeMusicSources();
});
D.after(() => sources.close());

D('a track comes with every contributor, album, duration, cover and ISRC', async () => {
  sources.addDeezer({ id: '3135556', title: 'Harder, Better, Faster, Stronger', artists: ['Daft Punk'], album: 'Discovery', seconds: 224, isrc: 'GBDUW0000059', coverUrl: 'https://e-cdns-images.dzcdn.net/x/1000x1000.jpg' });
  const r = await createDeezerResolver({ apiUrl: sources.deezerApiUrl }).resolve(link('https://www.deezer.com/en/track/3135556'), ctx);
  assert.ok(r.kind === 'track');
  if (r.kind === 'track') {
    assert.equal([r.track.title, r.track.artists, r.track.album, r.track.durationSec, r.track.isrc], ['Harder, Better, Faster, Stronger', ['Daft Punk'], 'Discovery', 224, 'GBDUW0000059']);
    assert.is(r.track.coverUrl, 'https://e-cdns-images.dzcdn.net/x/1000x1000.jpg');
  }
});

D('Deezer’s "no data" error (HTTP 200, code 800) is a dead link', async () => {
  const err = await createDeezerResolver({ apiUrl: sources.deezerApiUrl }).resolve(link('https://www.deezer.com/track/1'), ctx).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_DEAD_LINK');
});

D('an album lists its first tracks as links; artists are not supported', async () => {
  const tracks = Array.from({ length: 12 }, (_, i) => ({ id: String(500 + i), title: `T${i}`, artists: ['A'], seconds: 60 + i }));
  sources.addDeezerAlbum({ id: '302127', title: 'Discovery', tracks });
  const r = await createDeezerResolver({ apiUrl: sources.deezerApiUrl }).resolve(link('https://www.deezer.com/album/302127'), ctx);
  assert.ok(r.kind === 'collection');
  if (r.kind === 'collection') {
    assert.is(r.items.length, 10);
    assert.is(r.total, 12);
    assert.is(r.items[0]?.link.key, 'deezer:track:500');
  }
  const err = await createDeezerResolver({ apiUrl: sources.deezerApiUrl }).resolve(link('https://www.deezer.com/artist/27'), ctx).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_COLLECTION_UNSUPPORTED');
});

D('an API that does not answer is "unavailable", not a hang', async () => {
  const err = await createDeezerResolver({ apiUrl: 'http://127.0.0.1:9', timeoutMs: 2000 }).resolve(link('https://www.deezer.com/track/2'), ctx).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_SOURCE_UNAVAILABLE');
});

D.run();
