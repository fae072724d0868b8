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

Y.run();
