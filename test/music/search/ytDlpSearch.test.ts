/**
 * The production search source, run against a stand-in yt-dlp that prints what yt-dlp's
 * `-J --flat-playlist` prints for searches.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { candidateFromEntry, createYtDlpSearch } from '../../../src/music/search/ytDlpSearch.ts';
import { writeFakeYtDlp } from '../../helpers/fakeTools.ts';

const S = suite('yt-dlp search');
const signal = new AbortController().signal;

S('one yt-dlp run searches YouTube Music and YouTube for every query; results are deduplicated', async () => {
  const pidFile = join(tmpdir(), `fake-ytdlp-search-${process.pid}.pid`);
  const music = { original_url: 'https://music.youtube.com/search?q=Kino%20-%20Gruppa%20Krovi#songs', entries: [{ id: 'aaaaaaaaaaa', title: 'Gruppa Krovi', channel: 'Kino', duration: 285 }] };
  const yt = { original_url: 'ytsearch5:Kino - Gruppa Krovi', entries: [{ id: 'aaaaaaaaaaa', title: 'Gruppa Krovi', channel: 'Kino' }, { id: 'bbbbbbbbbbb', title: 'Gruppa Krovi (Live)', channel: 'Fan', duration: 300, view_count: 10 }, { id: 'UCchannelxx', title: 'a channel', ie_key: 'YoutubeTab' }, { id: 'UCabcdefghijklmnopqrstuv', title: 'another channel' }] };
  const tool = writeFakeYtDlp({ stdout: [JSON.stringify(music), JSON.stringify(yt)], pidFile });
  try {
    const found = await createYtDlpSearch({ ytdlp: { path: tool.path } }).search(['Kino - Gruppa Krovi'], { limit: 5, signal });
    assert.equal(found.map((c) => [c.source, c.id, c.durationSec]), [['youtube-music', 'aaaaaaaaaaa', 285], ['youtube', 'bbbbbbbbbbb', 300]]);
    assert.is(found[0]?.url, 'https://www.youtube.com/watch?v=aaaaaaaaaaa');
    const args = JSON.parse(readFileSync(`${pidFile}.args`, 'utf8')) as string[];
    assert.ok(args.includes('--flat-playlist') && args.includes('-J'));
    assert.ok(args.includes('https://music.youtube.com/search?q=Kino%20-%20Gruppa%20Krovi#songs'));
    assert.ok(args.includes('ytsearch5:Kino - Gruppa Krovi'));
  } finally {
    tool.remove();
  }
});

S('a search that fails entirely is "unavailable"', async () => {
  const tool = writeFakeYtDlp({ stderr: 'ERROR: Unable to download API page: HTTP Error 429: Too Many Requests\n', exitCode: 1 });
  try {
    const err = await createYtDlpSearch({ ytdlp: { path: tool.path } }).search(['x'], { limit: 5, signal }).catch((e: unknown) => e);
    assert.is((err as { code: string }).code, 'MUSIC_SOURCE_UNAVAILABLE');
  } finally {
    tool.remove();
  }
});

S('entries without an id or title, or with a non-video id, are skipped', () => {
  assert.is(candidateFromEntry({ title: 'x' }, 'youtube'), undefined);
  assert.is(candidateFromEntry({ id: 'UC123', title: 'x' }, 'youtube'), undefined);
  assert.equal(candidateFromEntry({ id: '123', title: 'Song', url: 'https://soundcloud.com/a/song', uploader: 'A' }, 'soundcloud'), { id: '123', title: 'Song', uploader: 'A', source: 'soundcloud', url: 'https://soundcloud.com/a/song' });
});

S.run();
