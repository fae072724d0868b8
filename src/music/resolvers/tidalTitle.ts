/**
 * Reads title and artist from a Tidal share page's preview tags. Tidal's pages are not
 * consistent (issue 15, fact 9): `og:title` is "Title by Artist" on some, "Artist - Title" on
 * others (the form idonthavespotify's Tidal parser splits, `src/parsers/tidal.ts`), and the
 * plain title on others; `og:description` and `<title>` may say "Listen to Title by Artist on
 * TIDAL" or "Song by Artist". Titles themselves may hold " - " ("Song - Remastered 2011") or " by " ("Stand by
 * Me"), so the `og:title` is read against the other tags whenever they name the parts.
 */
import type { PageMeta } from '../net/pageMeta.ts';

/** What the page names; `artist` is undefined when no tag names one. */
export interface TidalTitle {
  readonly title: string;
  readonly artist: string | undefined;
}

const BY = /^(?:listen to\s+)?(.+?)\s+by\s+(.+?)(?:\s+on TIDAL)?\s*$/i;
const SUFFIX = /\s*(?:\|\s*TIDAL|on TIDAL)\s*$/i;

/** Title and artist of a Tidal track page, or undefined when it names no track. */
export function readTidalTitle(meta: PageMeta): TidalTitle | undefined {
  const ogTitle = meta.tags.get('og:title')?.replace(/\s*\|\s*TIDAL\s*$/i, '').trim() || undefined;
  const musician = meta.tags.get('music:musician_description')?.trim() || undefined;
  // "Listen to Title by Artist on TIDAL": the explicit sentences, read at the last " by " only
  // when the title part is confirmed by og:title (so "Stand by Me by Ben E. King" splits right).
  const sentences = [meta.tags.get('og:description'), meta.title].filter((s): s is string => Boolean(s && /\bby\b/i.test(s)));
  if (ogTitle) {
    const known = knownParts(ogTitle, sentences, musician);
    if (known) return known;
    return guess(ogTitle, musician);
  }
  for (const s of sentences) {
    const m = BY.exec(s.replace(/\s*\|\s*TIDAL\s*$/i, ''));
    if (m) return { title: m[1]!.trim(), artist: m[2]!.trim() };
  }
  return undefined;
}

/**
 * The og:title read against a sentence or musician tag that names the parts: it is the plain
 * title, "Artist - Title" or "Title by Artist" of the same parts.
 */
function knownParts(ogTitle: string, sentences: readonly string[], musician: string | undefined): TidalTitle | undefined {
  const pairs: { title: string; artist: string }[] = [];
  for (const s of sentences) {
    const body = s.replace(SUFFIX, '').replace(/^listen to\s+/i, '').trim();
    // Every " by " split of the sentence is a candidate; og:title decides which one is meant.
    for (const at of indexesOf(body, ' by ')) pairs.push({ title: body.slice(0, at).trim(), artist: body.slice(at + 4).trim() });
  }
  if (musician) {
    if (ogTitle.startsWith(`${musician} - `)) return { title: ogTitle.slice(musician.length + 3).trim(), artist: musician };
    if (ogTitle.endsWith(` by ${musician}`)) return { title: ogTitle.slice(0, -(musician.length + 4)).trim(), artist: musician };
  }
  for (const p of pairs) {
    if (same(ogTitle, p.title) || same(ogTitle, `${p.artist} - ${p.title}`)) return { title: p.title, artist: p.artist };
  }
  // "Title by Artist" fits every split of the same sentence: the last " by " is meant (titles
  // hold " by " far more often than artist names do).
  for (const p of [...pairs].reverse()) {
    if (same(ogTitle, `${p.title} by ${p.artist}`)) return { title: p.title, artist: p.artist };
  }
  // "Song by Daft Punk" beside a plain og:title: the sentence names only the artist.
  const typed = pairs.find((p) => /^(?:song|track|single)$/i.test(p.title));
  if (typed) return { title: ogTitle, artist: typed.artist };
  if (musician) return { title: ogTitle, artist: musician };
  return undefined;
}

/**
 * Nothing else names the parts: "Artist - Title" (split at the first " - ": artist names
 * rarely hold one, titles often do), else "Title by Artist" (split at the last " by "),
 * else the plain title with no artist (the matcher then searches by title).
 */
function guess(ogTitle: string, musician: string | undefined): TidalTitle {
  const dash = ogTitle.indexOf(' - ');
  if (dash > 0) return { title: ogTitle.slice(dash + 3).trim(), artist: ogTitle.slice(0, dash).trim() };
  const by = ogTitle.toLowerCase().lastIndexOf(' by ');
  if (by > 0) return { title: ogTitle.slice(0, by).trim(), artist: ogTitle.slice(by + 4).trim() };
  return { title: ogTitle, artist: musician };
}

function indexesOf(text: string, needle: string): number[] {
  const out: number[] = [];
  const lower = text.toLowerCase();
  for (let i = lower.indexOf(needle); i > 0; i = lower.indexOf(needle, i + 1)) out.push(i);
  return out;
}

function same(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}
