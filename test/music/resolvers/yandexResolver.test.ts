import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUrl, type MusicLink } from '../../../src/music/links/index.ts';
import { createYandexResolver } from '../../../src/music/resolvers/yandexResolver.ts';
import { startFakeMusicSources, type FakeMusicSources } from '../../helpers/fakeMusicSources.ts';

const link = (url: string): MusicLink => {
  const v = parseUrl(url);
  if (v.type !== 'link') throw new Error(url);
  return v.link;
};
const ctx = { signal: new AbortController().signal };

const Y = suite('Yandex Music resolver');
let sources: FakeMusicSources;
Y.before(async () => {
  sources = await startFakeMusicSources();
  sources.addYandex({ id: '10994777', title: 'Группа крови', artists: ['Кино'], album: 'Группа крови', seconds: 285 });
});
Y.after(() => sources.close());
const resolver = () => createYandexResolver({ apiUrl: sources.yandexApiUrl, webUrl: sources.yandexWebUrl });

Y('the public API gives exact metadata', async () => {
  sources.yandexMode = 'ok';
  const r = await resolver().resolve(link('https://music.yandex.ru/album/1193829/track/10994777'), ctx);
  assert.equal(r.kind === 'track' && [r.track.title, r.track.artists, r.track.durationSec, r.track.album], ['Группа крови', ['Кино'], 285, 'Группа крови']);
});

Y('when the API refuses this server (451), the page’s og: tags are read', async () => {
  sources.yandexMode = 'api-refuses';
  const r = await resolver().resolve(link('https://music.yandex.kz/track/10994777'), ctx);
  assert.equal(r.kind === 'track' && [r.track.title, r.track.artists], ['Группа крови', ['Кино']]);
});

Y('when both refuse (451, then a captcha), the error says Yandex refused', async () => {
  sources.yandexMode = 'refuses';
  const err = await resolver().resolve(link('https://music.yandex.ru/album/1/track/10994777'), ctx).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_YANDEX_REFUSED');
});

Y('a track the API does not know is a dead link', async () => {
  sources.yandexMode = 'ok';
  const err = await resolver().resolve(link('https://music.yandex.ru/track/1'), ctx).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_DEAD_LINK');
});

Y('an unreachable API and page are a refusal too (never a hang)', async () => {
  const r = createYandexResolver({ apiUrl: 'http://127.0.0.1:9', webUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
  const err = await r.resolve(link('https://music.yandex.ru/track/5'), ctx).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_YANDEX_REFUSED');
});

Y("a user's playlist lists its tracks in order, titles read from /tracks/<id>; a missing entry is skipped", async () => {
  sources.yandexMode = 'ok';
  const tracks = [1, 2, 3].map((n) => ({ id: `5550${n}`, title: `Песня ${n}`, artists: ['Кино'], seconds: 200 + n }));
  for (const t of [tracks[0]!, tracks[2]!]) sources.addYandex(t); // the second is gone from Yandex
  sources.addYandexPlaylist({ owner: 'music-lover', kind: '1003', title: 'В дорогу', trackIds: tracks.map((t) => t.id) });
  const r = await createYandexResolver({ apiUrl: sources.yandexApiUrl, collectionLimit: 25 }).resolve(link('https://music.yandex.ru/users/music-lover/playlists/1003'), ctx);
  assert.is(r.kind, 'collection');
  if (r.kind !== 'collection') return;
  assert.is(r.title, 'В дорогу');
  assert.equal(r.items.map((i) => [i.title, i.artists, i.durationSec]), [['Песня 1', ['Кино'], 201], ['Песня 3', ['Кино'], 203]]);
  assert.is(r.items[0]!.link.url, 'https://music.yandex.ru/album/4766/track/55501');
  assert.is(r.total, 3);
  const dead = await resolver().resolve(link('https://music.yandex.ru/users/music-lover/playlists/9'), ctx).catch((e: unknown) => e);
  assert.is((dead as { code: string }).code, 'MUSIC_DEAD_LINK');
  sources.yandexMode = 'refuses';
  const refused = await resolver().resolve(link('https://music.yandex.ru/users/music-lover/playlists/1003'), ctx).catch((e: unknown) => e);
  assert.is((refused as { code: string }).code, 'MUSIC_YANDEX_REFUSED');
  sources.yandexMode = 'ok';
});

Y.run();
