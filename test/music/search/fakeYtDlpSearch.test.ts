/**
 * The fake yt-dlp of searches against what the real one prints (`test/contracts/ytDlpSearch.ts`,
 * derived from yt-dlp's source): a YouTube Music song entry never carries a field the real
 * extractor does not give, the Songs section never lists music videos or uploads, `-I` cuts,
 * and every other run reaches the real yt-dlp.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NOT_IN_YTM_SEARCH, SEARCH_DOCUMENT_FIELDS, YTM_SEARCH_ENTRY_FIELDS, YTSEARCH_ENTRY_FIELDS } from '../../contracts/ytDlpSearch.ts';
import { writeFakeYtDlpSearch, type WorldVideo } from '../../helpers/fakeYtDlpSearch.ts';

const WORLD: WorldVideo[] = [
  { id: 'topicAAAAAA', title: 'Night Drive', channel: 'Aurora Lane - Topic', seconds: 200, kind: 'song', artists: ['Aurora Lane'], album: 'Night Drive' },
  { id: 'extendBBBBB', title: 'Night Drive (Extended Mix)', channel: 'Aurora Lane - Topic', seconds: 295, kind: 'release', artists: ['Aurora Lane'] },
  { id: 'videoCCCCCC', title: 'Aurora Lane - Night Drive (Official Video)', channel: 'Aurora Lane', seconds: 230, kind: 'video', views: 1_000_000 },
  { id: 'lyricDDDDDD', title: 'Aurora Lane - Night Drive (Lyrics)', channel: '7clouds', seconds: 201, kind: 'lyric-video' },
  { id: 'reuplEEEEEE', title: 'Night Drive - Aurora Lane', channel: 'fan uploads', seconds: 200, kind: 'upload' },
];

const S = suite('fake yt-dlp for searches');
const fake = writeFakeYtDlpSearch(WORLD);
const run = (...args: string[]) => execFileSync(fake.path, args, { encoding: 'utf8' }).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const YTM = 'https://music.youtube.com/search?q=Aurora%20Lane%20-%20Night%20Drive#songs';
const entries = (doc: Record<string, unknown> | undefined) => (doc?.['entries'] ?? []) as Record<string, unknown>[];

S.after(() => fake.remove());

S('a YouTube Music song entry has no field the real extractor does not give', () => {
  const [doc] = run('-J', '--flat-playlist', '--', YTM);
  assert.ok(entries(doc).length > 0);
  for (const e of entries(doc)) {
    const extra = Object.keys(e).filter((k) => !(YTM_SEARCH_ENTRY_FIELDS as readonly string[]).includes(k));
    assert.equal(extra, [], `fields beyond _music_reponsive_list_entry: ${extra.join(', ')}`);
    for (const k of NOT_IN_YTM_SEARCH) assert.not.ok(k in e, k);
    assert.is(e['url'], `https://music.youtube.com/watch?v=${String(e['id'])}`);
    assert.is(e['_type'], 'url');
    assert.is(e['ie_key'], 'Youtube');
  }
  const extraDoc = Object.keys(doc!).filter((k) => !(SEARCH_DOCUMENT_FIELDS as readonly string[]).includes(k));
  assert.equal(extraDoc, []);
});

S('the Songs section holds the Topic song and other releases, never videos or uploads', () => {
  const [doc] = run('-J', '--flat-playlist', '--', YTM);
  assert.equal(entries(doc).map((e) => e['id']), ['topicAAAAAA', 'extendBBBBB']);
  assert.equal(entries(doc).map((e) => e['title']), ['Night Drive', 'Night Drive (Extended Mix)']);
});

S('ytsearch entries carry length, channel and views, and only _extract_video fields', () => {
  const [doc] = run('-J', '--flat-playlist', '--', 'ytsearch5:Aurora Lane - Night Drive');
  assert.is(entries(doc).length, 5);
  for (const e of entries(doc)) {
    assert.equal(Object.keys(e).filter((k) => !(YTSEARCH_ENTRY_FIELDS as readonly string[]).includes(k)), []);
    assert.type(e['duration'], 'number');
    assert.type(e['channel'], 'string');
    assert.is(e['url'], `https://www.youtube.com/watch?v=${String(e['id'])}`);
  }
});

S('-I 1:N cuts every search at N entries', () => {
  const docs = run('-J', '--flat-playlist', '-I', '1:1', '--', YTM, 'ytsearch5:Aurora Lane - Night Drive');
  assert.equal(docs.map((d) => entries(d).length), [1, 1]);
  assert.equal(docs[0]?.['requested_entries'], [1]);
});

S('-J of watch URLs gives the full info; a Topic song has its credits; an unknown id is an error line', () => {
  const res = spawnSync(fake.path, ['-J', '--ignore-errors', '--', 'https://www.youtube.com/watch?v=topicAAAAAA', 'https://www.youtube.com/watch?v=missingXXXX', 'https://www.youtube.com/watch?v=videoCCCCCC'], { encoding: 'utf8' });
  const docs = res.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(docs.map((d) => d['id']), ['topicAAAAAA', 'videoCCCCCC']);
  const [song, video] = docs;
  assert.equal([song?.['channel'], song?.['uploader'], song?.['duration'], song?.['track'], song?.['artists'], song?.['album']], ['Aurora Lane - Topic', 'Aurora Lane - Topic', 200, 'Night Drive', ['Aurora Lane'], 'Night Drive']);
  assert.match(String(song?.['description']), /^Provided to YouTube by/);
  assert.not.ok('artists' in video! || 'track' in video!, 'a channel video has no song credits');
  assert.match(res.stderr, 'ERROR: [youtube] missingXXXX: Video unavailable');
  assert.is(res.status, 1);
});

S('other runs reach the real yt-dlp; every argv is recorded', () => {
  const version = execFileSync(fake.path, ['--version'], { encoding: 'utf8' }).trim();
  assert.match(version, /^\d{4}\.\d{2}\.\d{2}/);
  assert.equal(fake.runs().at(-1), ['--version']);
});

S.run();
