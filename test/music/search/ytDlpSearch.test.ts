/**
 * The production search source against the fake yt-dlp of `fakeYtDlpSearch.ts`, which prints
 * what the real one prints: bare YouTube Music song entries, rich `ytsearch` entries, full
 * `-J` documents of watch pages.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { candidateFromEntry, createYtDlpSearch } from '../../../src/music/search/ytDlpSearch.ts';
import { findMatch } from '../../../src/music/search/findMatch.ts';
import { writeFakeYtDlp } from '../../helpers/fakeTools.ts';
import { writeFakeYtDlpSearch, type WorldVideo } from '../../helpers/fakeYtDlpSearch.ts';

const S = suite('yt-dlp search');
const signal = new AbortController().signal;

const KINO: WorldVideo[] = [
  { id: 'gkTopic0001', title: 'Группа крови', channel: 'Кино - Topic', seconds: 285, kind: 'song', artists: ['Кино'] },
  { id: 'gkLive00002', title: 'Кино - Группа крови (Live)', channel: 'fan', seconds: 300, kind: 'live-video', views: 10 },
];

S('one run searches YouTube Music and YouTube, bounded by -I; the same video from both is one candidate with the richest fields', async () => {
  const fake = writeFakeYtDlpSearch(KINO);
  try {
    const found = await createYtDlpSearch({ ytdlp: { path: fake.path } }).search(['Кино - Группа крови'], { limit: 5, signal });
    assert.equal(found.map((c) => [c.source, c.id, c.title, c.uploader, c.durationSec]), [
      ['youtube-music', 'gkTopic0001', 'Группа крови', 'Кино - Topic', 285],
      ['youtube', 'gkLive00002', 'Кино - Группа крови (Live)', 'fan', 300],
    ]);
    assert.is(found[0]?.url, 'https://www.youtube.com/watch?v=gkTopic0001', 'the canonical watch URL, not music.youtube.com');
    const [args] = fake.runs();
    assert.ok(args!.includes('--flat-playlist') && args!.includes('-J'));
    assert.is(args![args!.indexOf('-I') + 1], '1:5');
    assert.ok(args!.includes('https://music.youtube.com/search?q=%D0%9A%D0%B8%D0%BD%D0%BE%20-%20%D0%93%D1%80%D1%83%D0%BF%D0%BF%D0%B0%20%D0%BA%D1%80%D0%BE%D0%B2%D0%B8#songs'));
    assert.ok(args!.includes('ytsearch5:Кино - Группа крови'));
  } finally {
    fake.remove();
  }
});

S('a song only YouTube Music finds stays bare; describe gets its length, channel and credits with one -J run', async () => {
  const fake = writeFakeYtDlpSearch([{ id: 'onlyYtm0001', title: 'Хочешь?', channel: 'Земфира - Topic', seconds: 214, kind: 'song', artists: ['Земфира'] }]);
  try {
    // YouTube's own search does not list it among its first results: only YouTube Music searched here.
    const source = createYtDlpSearch({ ytdlp: { path: fake.path }, sources: ['youtube-music'] });
    const [bare] = await source.search(['Земфира - Хочешь?'], { limit: 5, signal });
    assert.equal(bare, { id: 'onlyYtm0001', title: 'Хочешь?', uploader: '', source: 'youtube-music', url: 'https://www.youtube.com/watch?v=onlyYtm0001' });
    const gone = { ...bare!, id: 'goneVideo01', url: 'https://www.youtube.com/watch?v=goneVideo01' };
    const described = await source.describe!([bare!, gone], { signal });
    assert.equal(described, [{ id: 'onlyYtm0001', title: 'Хочешь?', uploader: 'Земфира - Topic', artists: ['Земфира'], durationSec: 214, source: 'youtube-music', url: 'https://www.youtube.com/watch?v=onlyYtm0001' }]);
    const run = fake.runs()[1]!;
    assert.ok(run.includes('-J'));
    assert.equal(run.slice(run.indexOf('--') + 1), [bare!.url, gone.url]);
  } finally {
    fake.remove();
  }
});

S('findMatch: bare entries only → one describe run → the Topic song whose length fits, not the longer release', async () => {
  const fake = writeFakeYtDlpSearch([
    { id: 'extRelease1', title: 'Afterglow', channel: 'Club Night Records - Topic', seconds: 296, kind: 'release', artists: ['Kestrel'] },
    { id: 'topicSong01', title: 'Afterglow', channel: 'Kestrel - Topic', seconds: 201, kind: 'song', artists: ['Kestrel'] },
  ]);
  try {
    const track = { platform: 'spotify' as const, pageUrl: 'https://open.spotify.com/track/x', title: 'Afterglow', artists: ['Kestrel'], durationSec: 201 };
    const verdict = await findMatch(track, createYtDlpSearch({ ytdlp: { path: fake.path }, sources: ['youtube-music'] }), { signal });
    assert.is(verdict.kind === 'match' && verdict.candidate.id, 'topicSong01');
    assert.is(fake.runs().length, 2, 'one search run, one describe run');
  } finally {
    fake.remove();
  }
});

S('a search that fails entirely is a source error', async () => {
  const tool = writeFakeYtDlp({ stderr: 'ERROR: [youtube:search] x: Unable to download API page: HTTP Error 500: Internal Server Error\n', exitCode: 1 });
  try {
    const err = await createYtDlpSearch({ ytdlp: { path: tool.path } }).search(['x'], { limit: 5, signal }).catch((e: unknown) => e);
    assert.match((err as { code: string }).code, /^MUSIC_SOURCE_/);
  } finally {
    tool.remove();
  }
});

S('entries: channels and junk skipped; a YouTube Music entry without a title (yt-dlp 2023) kept; credits from "artist"', () => {
  assert.is(candidateFromEntry({ title: 'x' }, 'youtube'), undefined);
  assert.is(candidateFromEntry({ id: 'UC123', title: 'x' }, 'youtube'), undefined);
  assert.is(candidateFromEntry({ id: 'UCabcdefghijklmnopqrstuv', title: 'x', ie_key: 'YoutubeTab' }, 'youtube'), undefined);
  assert.is(candidateFromEntry({ id: 'abcdefghijk' }, 'youtube'), undefined);
  // 2023.03.04 _music_reponsive_list_entry: url_result(url, ie, video_id) — no title.
  assert.equal(candidateFromEntry({ ie_key: 'Youtube', id: 'abcdefghijk', _type: 'url', url: 'https://music.youtube.com/watch?v=abcdefghijk' }, 'youtube-music'), {
    id: 'abcdefghijk', title: '', uploader: '', source: 'youtube-music', url: 'https://www.youtube.com/watch?v=abcdefghijk',
  });
  assert.equal(candidateFromEntry({ id: 'abcdefghijk', title: 'T', channel: 'A - Topic', artist: 'A, B', duration: 200.4 }, 'youtube')?.artists, ['A', 'B']);
  assert.equal(candidateFromEntry({ id: '123', title: 'Song', url: 'https://soundcloud.com/a/song', uploader: 'A' }, 'soundcloud'), { id: '123', title: 'Song', uploader: 'A', source: 'soundcloud', url: 'https://soundcloud.com/a/song' });
});

S.run();
