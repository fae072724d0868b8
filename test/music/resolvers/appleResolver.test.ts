import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUrl, type MusicLink } from '../../../src/music/links/index.ts';
import { createAppleResolver } from '../../../src/music/resolvers/appleResolver.ts';
import { startFakeAppleMusic } from '../../helpers/fakeAppleMusic.ts';
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

A("a playlist is read from the Apple Music API with the operator's developer token; videos are skipped", async () => {
  const apple = await startFakeAppleMusic();
  try {
    apple.addPlaylist({
      id: 'pl.u-abc123', name: 'Summer Drive', songs: [
        { id: '1440833060', albumId: '1440833000', name: 'Paper Lanterns', artistName: 'Mira Solen & Kestrel', seconds: 201 },
        { id: '1550000001', albumId: '1550000000', name: 'A video', artistName: 'Someone', seconds: 180, video: true },
        { id: '1440833061', albumId: '1440833000', name: 'Harbour', artistName: 'Mira Solen', seconds: 190 },
      ],
    });
    const resolver = createAppleResolver({ apiUrl: sources.itunesApiUrl, appleMusic: { apiUrl: apple.apiUrl, token: apple.token } });
    const r = await resolver.resolve(link('https://music.apple.com/gb/playlist/summer-drive/pl.u-abc123'), ctx);
    assert.is(r.kind, 'collection');
    if (r.kind !== 'collection') return;
    assert.is(r.title, 'Summer Drive');
    assert.equal(r.items.map((i) => [i.title, i.artists, i.durationSec]), [['Paper Lanterns', ['Mira Solen', 'Kestrel'], 201], ['Harbour', ['Mira Solen'], 190]]);
    assert.is(r.items[0]!.link.kind, 'track');
    assert.is(r.items[0]!.link.id, '1440833060');
    assert.equal(apple.requests, ['/v1/catalog/gb/playlists/pl.u-abc123'], 'the link\'s storefront is asked');

    const dead = await resolver.resolve(link('https://music.apple.com/gb/playlist/x/pl.u-nothere'), ctx).catch((e: unknown) => e);
    assert.is((dead as { code: string }).code, 'MUSIC_DEAD_LINK');
    const wrongToken = createAppleResolver({ apiUrl: sources.itunesApiUrl, appleMusic: { apiUrl: apple.apiUrl, token: 'a.b.c' } });
    const refused = await wrongToken.resolve(link('https://music.apple.com/gb/playlist/summer-drive/pl.u-abc123'), ctx).catch((e: unknown) => e);
    assert.is((refused as { code: string }).code, 'MUSIC_SOURCE_UNAVAILABLE');
    assert.not.match(JSON.stringify(refused) + String((refused as Error).message), apple.token);
    const without = await createAppleResolver({ apiUrl: sources.itunesApiUrl }).resolve(link('https://music.apple.com/gb/playlist/summer-drive/pl.u-abc123'), ctx).catch((e: unknown) => e);
    assert.is((without as { code: string }).code, 'MUSIC_COLLECTION_UNSUPPORTED', 'without a token playlists stay unsupported');
  } finally {
    await apple.close();
  }
});

A.run();
