import type { OriginalTrack } from './types.ts';
import { stripFeaturing } from './normalize.ts';
import { normalizeIsrc } from './prepare.ts';
import { transliterate } from './transliterate.ts';

const REMASTER_SUFFIX = /\s[-–—]\s(?:\d{4}\s)?(?:digital(?:ly)?\s)?remaster(?:ed)?(?:\s\d{4})?(?:\sversion)?\s*$/iu;
const REMASTER_BRACKET = /\s*[(\[](?:\d{4}\s)?(?:digital(?:ly)?\s)?remaster(?:ed)?[^)\]]*[)\]]/giu;

/**
 * The title as a search engine wants it: featuring clauses and remaster notes removed
 * (`Bohemian Rhapsody - Remastered 2011` → `Bohemian Rhapsody`). Other version words stay:
 * searching "Levels - Radio Edit" should find the radio edit.
 */
export function searchTitle(title: string): string {
  return stripFeaturing(title).replace(REMASTER_SUFFIX, '').replace(REMASTER_BRACKET, '').replace(/\s+/g, ' ').trim();
}

/**
 * Search queries for a track, most precise first, each once (case-insensitively):
 * 1. the ISRC, when known (YouTube Music finds official audio by ISRC);
 * 2. `"artist1, artist2 - title"` (spotDL's query);
 * 3. `"artist1 - title"` with featuring clauses and remaster notes removed;
 * 4. a Latin transliteration of 3 when the names are Cyrillic (re-uploads are often
 *    transliterated);
 * 5. `"artist1 title audio"`: leans towards audio uploads, which lack a video's intro
 *    and so pass the duration check more often;
 * 6. without artists: the title, then the title without featuring and remaster notes.
 *
 * @example
 * buildQueries({ title: 'Levitating (feat. DaBaby)', artists: ['Dua Lipa', 'DaBaby'], isrc: 'GBAHT2000942' })
 * // ['GBAHT2000942', 'Dua Lipa, DaBaby - Levitating (feat. DaBaby)', 'Dua Lipa - Levitating', 'Dua Lipa Levitating audio']
 */
export function buildQueries(original: OriginalTrack): string[] {
  const title = original.title.replace(/\s+/g, ' ').trim();
  const artists = original.artists.map((a) => a.replace(/\s+/g, ' ').trim()).filter((a) => a.length > 0);
  const clean = searchTitle(title) || title;
  const queries: string[] = [];
  const isrc = normalizeIsrc(original.isrc);
  if (isrc) queries.push(isrc);
  if (artists.length > 0) {
    queries.push(`${artists.join(', ')} - ${title}`);
    const short = `${artists[0]} - ${clean}`;
    queries.push(short);
    if (/[\u0400-\u04FF]/.test(short)) queries.push(transliterate(short.toLowerCase()));
    queries.push(`${artists[0]} ${clean} audio`);
  } else if (title.length > 0) {
    queries.push(title);
    if (clean !== title) queries.push(clean);
  }
  const seen = new Set<string>();
  return queries.filter((q) => {
    const key = q.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
