import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUrl, type MusicLink } from '../../../src/music/links/index.ts';
import { createMediaResolver } from '../../../src/music/resolvers/mediaResolver.ts';
import { writeFakeYtDlp } from '../../helpers/fakeTools.ts';

const link = (url: string): MusicLink => {
  const v = parseUrl(url);
  if (v.type !== 'link') throw new Error(url);
  return v.link;
};
const ctx = { signal: new AbortController().signal };
const M = suite('YouTube / SoundCloud resolver');

M('a video is downloaded directly from where the media base points', async () => {
  const r = await createMediaResolver({ ytdlp: { path: 'unused' }, mediaUrl: (u) => u.replace('https://www.youtube.com', 'http://local') }).resolve(link('https://youtu.be/dQw4w9WgXcQ'), ctx);
  assert.equal(r, { kind: 'media', url: 'http://local/watch?v=dQw4w9WgXcQ', platform: 'youtube', pageUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' });
});

M('a playlist lists its first entries as video links through yt-dlp -J --flat-playlist', async () => {
  const doc = { title: 'Mix', playlist_count: 40, entries: [{ id: 'aaaaaaaaaaa', title: 'One', channel: 'Band - Topic', duration: 100 }, { id: 'bbbbbbbbbbb', title: 'Two', channel: 'Band' }] };
  const tool = writeFakeYtDlp({ stdout: [JSON.stringify(doc)] });
  try {
    const r = await createMediaResolver({ ytdlp: { path: tool.path }, mediaUrl: (u) => u }).resolve(link('https://www.youtube.com/playlist?list=PLabcdefghij'), ctx);
    assert.ok(r.kind === 'collection');
    if (r.kind === 'collection') {
      assert.equal([r.title, r.total, r.items.map((i) => [i.link.key, i.artists[0], i.durationSec])], ['Mix', 40, [['youtube:video:aaaaaaaaaaa', 'Band', 100], ['youtube:video:bbbbbbbbbbb', 'Band', undefined]]]);
    }
  } finally {
    tool.remove();
  }
});

M('a channel is not something to download', async () => {
  const err = await createMediaResolver({ ytdlp: { path: 'unused' }, mediaUrl: (u) => u }).resolve(link('https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv'), ctx).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_COLLECTION_UNSUPPORTED');
});

M.run();
