/**
 * The text search's own rules: which queries are searched, how the catalogues' answers are
 * merged (interleaved by rank, one entry per recording: the same ISRC, or the same artist
 * and title across Cyrillic and Latin spellings), and that a catalogue that never answers
 * cannot hold the others back.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUrl, type MusicLink } from '../../../src/music/links/index.ts';
import { checkQuery, mergeFound, TextSearch } from '../../../src/music/textSearch/textSearch.ts';
import type { CatalogSearch, FoundTrack } from '../../../src/music/textSearch/types.ts';

const T = suite('text search: queries and merging');

const link = (url: string): MusicLink => {
  const v = parseUrl(url);
  if (v.type !== 'link') throw new Error(url);
  return v.link;
};
const deezer = (id: number, title: string, artists: string[], durationSec?: number): FoundTrack => ({ link: link(`https://www.deezer.com/track/${id}`), title, artists, ...(durationSec && { durationSec }) });
const spotify = (id: string, title: string, artists: string[], isrc?: string): FoundTrack => ({ link: link(`https://open.spotify.com/track/${id.padEnd(22, 'x')}`), title, artists, durationSec: 200, ...(isrc && { isrc }) });
const keys = (found: readonly FoundTrack[]) => found.map((t) => t.link.key);

T('queries: trimmed; empty, emoji-only, punctuation-only and over 200 characters refused', () => {
  assert.equal(checkQuery('  kino   gruppa\nkrovi '), { kind: 'ok', query: 'kino gruppa krovi' });
  assert.equal(checkQuery('Кино — Группа крови'), { kind: 'ok', query: 'Кино — Группа крови' });
  for (const raw of ['', '   ', '🎵🎶', '❤️ 🔥', '?!…']) assert.equal(checkQuery(raw), { kind: 'empty' }, raw);
  assert.equal(checkQuery('a'.repeat(200)).kind, 'ok');
  assert.equal(checkQuery('a'.repeat(201)), { kind: 'too-long' });
  assert.equal(checkQuery('я'.repeat(200)).kind, 'ok', 'counted in characters, not bytes');
});

T('merge: best hits of every catalogue first, then the second ones; capped at the limit', () => {
  const a = [deezer(1, 'One', ['A']), deezer(2, 'Two', ['A']), deezer(3, 'Three', ['A'])];
  const b = [spotify('s1', 'Uno', ['B']), spotify('s2', 'Dos', ['B'])];
  assert.equal(keys(mergeFound([a, b], 5)), ['deezer:track:1', `spotify:track:${'s1'.padEnd(22, 'x')}`, 'deezer:track:2', `spotify:track:${'s2'.padEnd(22, 'x')}`, 'deezer:track:3']);
  assert.is(mergeFound([a, b], 2).length, 2);
});

T('merge: the same ISRC is one entry even when the titles differ', () => {
  const merged = mergeFound([[spotify('s1', 'Night Drive - Remastered 2024', ['Aurora Lane'], 'QZABC2400001')], [spotify('s9', 'Night Drive', ['Aurora Lane'], 'QZABC2400001')]], 5);
  assert.is(merged.length, 1);
  assert.is(merged[0]!.title, 'Night Drive - Remastered 2024', 'the first seen stays');
});

T('merge: Cyrillic and Latin spellings of one artist and title are one entry; the entry borrows the ISRC', () => {
  const merged = mergeFound([[deezer(1, 'Группа крови', ['Кино'])], [spotify('s1', 'Gruppa krovi', ['Kino'], 'RUA1D8800001')]], 5);
  assert.is(merged.length, 1);
  assert.equal([merged[0]!.title, merged[0]!.isrc], ['Группа крови', 'RUA1D8800001']);
});

T('merge: different songs of one artist, and one song by different artists, stay apart', () => {
  const merged = mergeFound([[deezer(1, 'Группа крови', ['Кино']), deezer(2, 'Кукушка', ['Кино'])], [deezer(3, 'Группа крови', ['Би-2'])]], 5);
  assert.is(merged.length, 3);
  const feat = mergeFound([[deezer(4, 'Night Drive (feat. Kestrel)', ['Aurora Lane'])], [deezer(5, 'Night Drive', ['Aurora Lane'])]], 5);
  assert.is(feat.length, 1, 'a featuring credit in the title is the same recording');
});

T('search: a catalogue that never answers (and ignores its signal) is dropped; the others answer', async () => {
  const silent: CatalogSearch = { name: 'silent', search: () => new Promise<never>(() => {}) };
  const broken: CatalogSearch = { name: 'broken', search: () => Promise.reject(new Error('boom')) };
  const good: CatalogSearch = { name: 'good', search: async () => [deezer(1, 'One', ['A'])] };
  const told: string[] = [];
  const search = new TextSearch({ sources: [silent, broken, good], budgetMs: 100, onSourceFailed: (name) => told.push(name) });
  const outcome = await search.search('one');
  assert.equal(keys(outcome.tracks), ['deezer:track:1']);
  assert.equal([outcome.asked, outcome.failed], [3, 2]);
  assert.equal(told.sort(), ['broken', 'silent']);
  const none = await new TextSearch({ sources: [silent, broken], budgetMs: 100 }).search('one');
  assert.equal([none.tracks.length, none.asked, none.failed], [0, 2, 2]);
});

T.run();
