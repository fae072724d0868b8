import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUrl, type MusicLink } from '../../../src/music/links/index.ts';
import { createAppleResolver } from '../../../src/music/resolvers/appleResolver.ts';
import { startFakeMusicSources, type FakeMusicSources } from '../../helpers/fakeMusicSources.ts';

const link = (url: string): MusicLink => {
  const v = parseUrl(url);
  if (v.type !== 'link') throw new Error(url);
  return v.link;
};
const ctx = { signal: new AbortController().signal };
const A = suite('Apple Music resolver (iTunes lookup)');
let sources: FakeMusicSources;
A.before(async () => {
  sources = await startFakeMusicSources();
});
A.after(() => sources.close());

A('a song gets title, split artists, album, duration and a 600 px cover', async () => {
  sources.addItunes({ id: '1440833098', title: 'Under Pressure', artists: ['Queen', 'David Bowie'], album: 'Hot Space', seconds: 248, coverUrl: 'https://is1-ssl.mzstatic.com/image/thumb/x/100x100bb.jpg' });
  const r = await createAppleResolver({ apiUrl: sources.itunesApiUrl }).resolve(link('https://music.apple.com/gb/album/hot-space/1440833000?i=1440833098'), ctx);
  assert.ok(r.kind === 'track');
  if (r.kind === 'track') {
    assert.equal([r.track.title, r.track.artists, r.track.album, r.track.durationSec], ['Under Pressure', ['Queen', 'David Bowie'], 'Hot Space', 248]);
    assert.is(r.track.coverUrl, 'https://is1-ssl.mzstatic.com/image/thumb/x/600x600bb.jpg');
  }
  assert.ok(sources.requests.some((p) => p.includes('country=gb')), 'the store country of the link is asked');
});

A('an empty lookup is a dead link', async () => {
  const err = await createAppleResolver({ apiUrl: sources.itunesApiUrl }).resolve(link('https://music.apple.com/us/song/x/1'), ctx).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_DEAD_LINK');
});

A.run();
