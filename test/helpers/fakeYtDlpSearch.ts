/**
 * A stand-in yt-dlp that answers YouTube Music and YouTube *searches* and `-J` over watch
 * URLs from a small "world" of videos, printing what the real yt-dlp prints (shapes and
 * their sources: `test/contracts/ytDlpSearch.ts`), and hands every other run (downloads,
 * local pages) to the real yt-dlp unchanged, so one `YTDLP_PATH` serves search and download
 * in end-to-end tests. Every run's argv is appended as a JSON line to `argvFile`.
 *
 * What a run answers:
 * - `https://music.youtube.com/search?q=…#songs` (`--flat-playlist`): the Songs section,
 *   which holds distributed audio only (the artist's Topic song and other releases:
 *   remixes, covers, karaoke, sped-up, extended editions), never music videos or channel
 *   uploads; each entry bare (`_music_reponsive_list_entry`: `ie_key`, `id`, `title` =
 *   the song title without the artist, `_type`, `url` = music.youtube.com/watch).
 * - `ytsearchN:query`: every kind of video, entries as `_extract_video` builds them.
 * - `-J <watch url>…`: one full info document per URL, as the YouTube extractor gives.
 * - `-I 1:N` / `--playlist-items 1:N` cuts every search at N entries (without it the real
 *   search keeps fetching continuation pages; here the world is small).
 *
 * @example
 * const fake = writeFakeYtDlpSearch([{ id: 'aaaaaaaaaaa', title: 'Hello', channel: 'Adele - Topic', artists: ['Adele'], seconds: 295, kind: 'song' }]);
 * createYtDlpSearch({ ytdlp: { path: fake.path } });
 * fake.runs(); // argv of every run so far
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What a video is, which decides where it shows up: `song` (a Topic channel's auto-generated
 * song) and `release` (another distributed audio track: remix, cover, karaoke, sped-up,
 * extended edition on its own artist or label Topic channel) are YouTube Music songs;
 * `video`, `lyric-video`, `live-video` and `upload` (a re-upload on a fan channel) are
 * found by YouTube search only.
 */
export type WorldKind = 'song' | 'release' | 'video' | 'lyric-video' | 'live-video' | 'upload';

/** One video of the fake world. */
export interface WorldVideo {
  /** 11-character YouTube id. */
  readonly id: string;
  /** The video title as YouTube shows it (a Topic song's title is the song title alone). */
  readonly title: string;
  /** Channel name (`Artist - Topic` for songs). */
  readonly channel: string;
  readonly seconds: number;
  readonly kind: WorldKind;
  /** Song credits (songs and releases: from the "Provided to YouTube by" description). */
  readonly artists?: readonly string[];
  readonly album?: string;
  /** Searching this ISRC finds the video (YouTube Music does find songs by ISRC). */
  readonly isrc?: string;
  readonly views?: number;
}

/** The fake executable. */
export interface FakeYtDlpSearch {
  readonly path: string;
  /** argv (without the program) of every run so far, oldest first. */
  runs(): string[][];
  remove(): void;
}

/** Writes the fake; `realYtDlp` receives every run that is not a search or a `-J` of watch URLs. */
export function writeFakeYtDlpSearch(world: readonly WorldVideo[], o: { realYtDlp?: string } = {}): FakeYtDlpSearch {
  const dir = mkdtempSync(join(tmpdir(), 'fake-ytdlp-search-'));
  const path = join(dir, 'yt-dlp');
  const argvFile = join(dir, 'argv.jsonl');
  writeFileSync(path, script(world, argvFile, o.realYtDlp ?? '/usr/bin/yt-dlp'));
  chmodSync(path, 0o755);
  return {
    path,
    runs: () => (existsSync(argvFile) ? readFileSync(argvFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : []),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function script(world: readonly WorldVideo[], argvFile: string, real: string): string {
  return `#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const WORLD = ${JSON.stringify(world)};
const REAL = ${JSON.stringify(real)};
const argv = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(argvFile)}, JSON.stringify(argv) + '\\n');

const VALUE_FLAGS = new Set(['-I', '--playlist-items', '--socket-timeout', '--cookies', '--proxy', '-f', '-o', '--max-filesize', '--match-filter', '--cache-dir', '--ffmpeg-location']);
const flags = new Set(); let items; const urls = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--') { urls.push(...argv.slice(i + 1)); break; }
  if (VALUE_FLAGS.has(a)) { if (a === '-I' || a === '--playlist-items') items = argv[i + 1]; i++; continue; }
  if (a.startsWith('-')) flags.add(a); else urls.push(a);
}
const SEARCH_YTM = /^https:\\/\\/music\\.youtube\\.com\\/search\\?/;
const SEARCH_YT = /^ytsearch(\\d*):([\\s\\S]+)$/;
const WATCH = /^https:\\/\\/(?:www\\.|music\\.)?youtube\\.com\\/watch\\?v=([A-Za-z0-9_-]{11})/;
const ours = flags.has('-J') && urls.length > 0 && urls.every((u) => SEARCH_YTM.test(u) || SEARCH_YT.test(u) || WATCH.test(u));
if (!ours) {
  // Downloads and local pages: the real tool, same arguments, same exit code.
  const child = spawn(REAL, argv, { stdio: 'inherit' });
  child.on('exit', (code, sig) => process.exit(code ?? (sig ? 1 : 0)));
  child.on('error', (e) => { process.stderr.write('ERROR: ' + e.message + '\\n'); process.exit(127); });
  return;
}

const limit = (() => { const m = /^1?[:-](\\d+)$/.exec(items || ''); return m ? Number(m[1]) : Infinity; })();
const words = (s) => s.toLowerCase().split(/[^\\p{L}\\p{N}]+/u).filter(Boolean);
const found = (query, v) => {
  if (v.isrc && query.trim().toUpperCase() === v.isrc) return true;
  const q = new Set(words(query));
  const own = words(v.title.replace(/\\(.*?\\)|\\[.*?\\]/g, ' '));
  return own.length > 0 && own.every((w) => q.has(w));
};
const YTM_KINDS = new Set(['song', 'release']);
const version = { version: '2026.08.19', current_git_head: null, release_git_head: '594bd50c2c78ac432f81600d309fdc4e0a92d82c', repository: 'yt-dlp/yt-dlp' };
const clock = (s) => Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');

// _tab.py 252-259 + common.py 1276-1288 (url_result) + YoutubeDL.py 2149: nothing else.
const ytmEntry = (v) => ({ ie_key: 'Youtube', id: v.id, title: v.title, _type: 'url', url: 'https://music.youtube.com/watch?v=' + v.id, __x_forwarded_for_ip: null });
// _tab.py 140-169 (_extract_video); the channel id and handle are made up per channel.
const ytEntry = (v) => {
  const cid = 'UC' + Buffer.from(v.channel).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(22, 'x').slice(0, 22);
  return {
    _type: 'url', ie_key: 'Youtube', id: v.id, url: 'https://www.youtube.com/watch?v=' + v.id, title: v.title, description: null,
    duration: v.seconds, channel_id: cid, channel: v.channel, channel_url: 'https://www.youtube.com/channel/' + cid,
    uploader: v.channel, uploader_id: null, uploader_url: null,
    thumbnails: [{ url: 'https://i.ytimg.com/vi/' + v.id + '/hqdefault.jpg', height: 360, width: 480 }],
    timestamp: null, release_timestamp: null, availability: null, view_count: v.views ?? 0, live_status: null,
    channel_is_verified: null, __x_forwarded_for_ip: null,
  };
};
// _video.py: the full info of a watch page (formats and the like left out: nothing here reads
// them); songs get track/artists/album from the auto-generated description (_video.py 4355-4383)
// and artist/creator joined from the lists (YoutubeDL.py 2818-2825).
const full = (v, url) => {
  const auto = YTM_KINDS.has(v.kind) && v.artists && v.artists.length > 0;
  const label = v.channel.replace(/ - Topic$/, '');
  const description = auto
    ? 'Provided to YouTube by ' + label + '\\n\\n' + v.title + ' · ' + v.artists.join(' · ') + '\\n\\n' + (v.album || v.title) + '\\n\\n℗ 2024 ' + label + '\\n\\nAuto-generated by YouTube.'
    : v.title;
  const doc = {
    id: v.id, title: v.title, description, duration: v.seconds, channel: v.channel, channel_id: ytEntry(v).channel_id,
    channel_url: ytEntry(v).channel_url, uploader: v.channel, view_count: v.views ?? 0, categories: ['Music'], live_status: 'not_live',
    is_live: false, was_live: false, webpage_url: 'https://www.youtube.com/watch?v=' + v.id, original_url: url,
    webpage_url_basename: 'watch', webpage_url_domain: 'youtube.com', extractor: 'youtube', extractor_key: 'Youtube',
    display_id: v.id, fulltitle: v.title, duration_string: clock(v.seconds),
  };
  if (auto) Object.assign(doc, { track: v.title, artists: v.artists, artist: v.artists.join(', '), creators: v.artists, creator: v.artists.join(', '), alt_title: v.title, album: v.album || v.title, release_year: 2024 });
  return Object.assign(doc, { _type: 'video', epoch: Math.floor(Date.now() / 1000), _version: version });
};
const searchDoc = (url, id, extractor, key, entries) => {
  const shown = entries.slice(0, limit);
  const doc = {
    id, title: id, _type: 'playlist', entries: shown, webpage_url: url, original_url: url,
    webpage_url_basename: url.startsWith('http') ? 'search' : url, webpage_url_domain: url.startsWith('http') ? 'music.youtube.com' : null,
    extractor, extractor_key: key,
  };
  // YoutubeDL.py __process_playlist: a cut search keeps requested_entries, its full count unknown.
  if (limit !== Infinity) Object.assign(doc, { requested_entries: shown.map((_, i) => i + 1), playlist_count: null });
  else doc.playlist_count = shown.length;
  return Object.assign(doc, { epoch: Math.floor(Date.now() / 1000), _version: version });
};

let failed = false;
for (const url of urls) {
  let m;
  if (SEARCH_YTM.test(url)) {
    const u = new URL(url);
    const q = u.searchParams.get('q') || '';
    const section = decodeURIComponent(u.hash.slice(1)).toLowerCase();
    const hits = WORLD.filter((v) => YTM_KINDS.has(v.kind) && found(q, v));
    const entries = hits.map((v) => (flags.has('--flat-playlist') ? ytmEntry(v) : full(v, 'https://music.youtube.com/watch?v=' + v.id)));
    process.stdout.write(JSON.stringify(searchDoc(url, section ? q + ' - ' + section : q, 'youtube:music:search_url', 'YoutubeMusicSearchURL', entries)) + '\\n');
  } else if ((m = SEARCH_YT.exec(url))) {
    const n = m[1] ? Number(m[1]) : 1;
    const hits = WORLD.filter((v) => found(m[2], v)).slice(0, n);
    const entries = hits.map((v) => (flags.has('--flat-playlist') ? ytEntry(v) : full(v, 'https://www.youtube.com/watch?v=' + v.id)));
    process.stdout.write(JSON.stringify(searchDoc(url, m[2], 'youtube:search', 'YoutubeSearch', entries)) + '\\n');
  } else {
    const id = WATCH.exec(url)[1];
    const v = WORLD.find((x) => x.id === id);
    if (v) process.stdout.write(JSON.stringify(full(v, url)) + '\\n');
    else {
      // _video.py: an id YouTube does not know.
      process.stderr.write('ERROR: [youtube] ' + id + ': Video unavailable. This video is not available\\n');
      failed = true;
      if (!flags.has('--ignore-errors')) process.exit(1);
    }
  }
}
process.exit(failed ? 1 : 0);
`;
}
