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

T('a missing page is a dead link; albums are not supported yet', async () => {
  const r = createTidalResolver({ webUrl: sources.tidalWebUrl });
  assert.is(((await r.resolve(link('https://tidal.com/track/1'), ctx).catch((e: unknown) => e)) as { code: string }).code, 'MUSIC_DEAD_LINK');
  assert.is(((await r.resolve(link('https://tidal.com/browse/album/1'), ctx).catch((e: unknown) => e)) as { code: string }).code, 'MUSIC_COLLECTION_UNSUPPORTED');
});

T.run();
