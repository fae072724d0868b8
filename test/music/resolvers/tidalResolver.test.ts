import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUrl, type MusicLink } from '../../../src/music/links/index.ts';
import { createTidalResolver } from '../../../src/music/resolvers/tidalResolver.ts';
import { startFakeMusicSources, type FakeMusicSources } from '../../helpers/fakeMusicSources.ts';

const link = (url: string): MusicLink => {
  const v = parseUrl(url);
  if (v.type !== 'link') throw new Error(url);
  return v.link;
};
const ctx = { signal: new AbortController().signal };
const T = suite('Tidal resolver');
let sources: FakeMusicSources;
T.before(async () => {
  sources = await startFakeMusicSources();
});
T.after(() => sources.close());

T('the share page’s "Title by Artist on TIDAL" gives title and artist', async () => {
  sources.addTidal({ id: '77646170', title: 'Blinding Lights', artists: ['The Weeknd'], seconds: 200, coverUrl: 'https://resources.tidal.com/x.jpg' });
  const r = await createTidalResolver({ webUrl: sources.tidalWebUrl }).resolve(link('https://listen.tidal.com/album/1/track/77646170'), ctx);
  assert.equal(r.kind === 'track' && [r.track.title, r.track.artists, r.track.coverUrl], ['Blinding Lights', ['The Weeknd'], 'https://resources.tidal.com/x.jpg']);
});

const read = async (id: string) => {
  const r = await createTidalResolver({ webUrl: sources.tidalWebUrl }).resolve(link(`https://tidal.com/browse/track/${id}`), ctx);
  return r.kind === 'track' ? [r.track.title, r.track.artists] : r.kind;
};

T('og:title "Artist - Title" gives the title without the artist', async () => {
  sources.addTidal({ id: '1001', title: 'Hotel California', artists: ['Eagles'], seconds: 391, form: 'dash' });
  assert.equal(await read('1001'), ['Hotel California', ['Eagles']]);
});

T('a plain og:title with og:description "Song by Artist" keeps the title whole', async () => {
  sources.addTidal({ id: '1002', title: 'One More Time', artists: ['Daft Punk'], seconds: 320, form: 'plain' });
  assert.equal(await read('1002'), ['One More Time', ['Daft Punk']]);
});

T('titles holding " - " or " by " are read right in every form when the sentence names the parts', async () => {
  const cases = [
    { id: '1101', title: 'Stand by Me', artists: ['Ben E. King'], form: 'by' as const },
    { id: '1102', title: 'Stand by Me', artists: ['Ben E. King'], form: 'dash' as const },
    { id: '1103', title: 'Bohemian Rhapsody - Remastered 2011', artists: ['Queen'], form: 'dash' as const },
    { id: '1104', title: 'Bohemian Rhapsody - Remastered 2011', artists: ['Queen'], form: 'by' as const },
    { id: '1105', title: 'Go by Train', artists: ['Some - Band'], form: 'plain' as const },
  ];
  for (const c of cases) {
    sources.addTidal({ ...c, seconds: 180 });
    assert.equal(await read(c.id), [c.title, c.artists], `${c.form}: ${c.title}`);
  }
});

T('without a sentence, "Artist - Title" and "Title by Artist" are still split', async () => {
  sources.addTidal({ id: '1201', title: 'Stand by Me', artists: ['Ben E. King'], seconds: 180, form: 'dash', sentence: false });
  sources.addTidal({ id: '1202', title: 'Hallelujah', artists: ['Jeff Buckley'], seconds: 414, form: 'by', sentence: false });
  sources.addTidal({ id: '1203', title: 'Hallelujah', artists: ['Jeff Buckley'], seconds: 414, form: 'plain', sentence: false });
  assert.equal(await read('1201'), ['Stand by Me', ['Ben E. King']]);
  assert.equal(await read('1202'), ['Hallelujah', ['Jeff Buckley']]);
  assert.equal(await read('1203'), ['Hallelujah', []]); // nothing names the artist: search by title
});

T('a missing page is a dead link; albums are not supported yet', async () => {
  const r = createTidalResolver({ webUrl: sources.tidalWebUrl });
  assert.is(((await r.resolve(link('https://tidal.com/track/1'), ctx).catch((e: unknown) => e)) as { code: string }).code, 'MUSIC_DEAD_LINK');
  assert.is(((await r.resolve(link('https://tidal.com/browse/album/1'), ctx).catch((e: unknown) => e)) as { code: string }).code, 'MUSIC_COLLECTION_UNSUPPORTED');
});

T.run();
