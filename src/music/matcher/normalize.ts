import { fixLookalikes, transliterate } from './transliterate.ts';

/**
 * Words and phrases that describe an upload rather than the recording ("Official Video",
 * "Lyrics", "HD", "MV", " - Topic"): removed before comparing. Matched as whole words on
 * the punctuation-free text, longest first. Version words (remix, live, …) are *not* here:
 * they must survive to be penalised.
 */
const DECORATIONS = [
  'official music video', 'official lyric video', 'official lyrics video', 'official video', 'official audio',
  'official visualizer', 'official visualiser', 'official hd video', 'official mv', 'official m v', 'official clip',
  'clip officiel', 'music video', 'music clip', 'lyric video', 'lyrics video', 'with lyrics', 'color coded lyrics', 'color coded',
  'kan rom eng', 'han rom eng', 'rom eng', 'eng sub', 'english sub', 'engsub', 'sub español', 'full audio',
  'audio only', 'high quality', 'full hd', 'hd video', 'lyrics', 'lyric', 'visualizer', 'visualiser', 'audio',
  'video', 'mv', 'm v', 'hd', 'hq', 'uhd', '4k', '1080p', '720p', 'official', 'explicit', 'letra', 'legendado',
  'премьера клипа', 'премьера', 'клип', 'текст песни', 'текст', 'перевод', '가사', '공식', '歌詞', '公式',
].sort((a, b) => b.length - a.length);
const DECORATION_RE = new RegExp(`(?<=^| )(?:${DECORATIONS.join('|')})(?= |$)`, 'gu');

const FEAT_WORD = String.raw`(?:featuring|feat|ft|при\s+уч|при\s+участии)\.?`;
const FEAT_RE = new RegExp(String.raw`(?<![\p{L}\p{N}])${FEAT_WORD}(?![\p{L}\p{N}])`, 'giu');

/**
 * Brings a title, artist or channel name to the form the matcher compares:
 * - NFKC (full-width forms, ligatures), Cyrillic/Latin lookalikes repaired, lower case,
 *   accents removed (é → e, ё → е, й → и: the same on both sides of a comparison);
 * - ` - Topic` channel suffixes and `VEVO` endings dropped (`AdeleVEVO` → `adele`);
 * - `feat.`, `ft.`, `featuring`, `при уч.` unified to `feat`;
 * - apostrophes dropped (`don't` → `dont`), other punctuation and brackets to spaces;
 * - upload decorations removed (Official Video/Audio, Lyrics, HD, 4K, Visualizer, MV, …);
 * - spaces collapsed.
 *
 * Scripts are not transliterated here (see {@link comparable}).
 *
 * @example normalize('The Weeknd - Blinding Lights (Official Video) [4K]') // 'the weeknd blinding lights'
 * @example normalize('Beyoncé ft. JAY-Z') // 'beyonce feat jay z'
 */
export function normalize(text: string): string {
  let s = fixLookalikes(text.normalize('NFKC'));
  s = s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
  s = s.replace(/\s+[-–—]\s+topic\s*$/u, '');
  s = s.replace(/([\p{L}\p{N}]+)vevo(?![\p{L}\p{N}])/gu, '$1').replace(/(?<![\p{L}\p{N}])vevo(?![\p{L}\p{N}])/gu, ' ');
  s = s.replace(FEAT_RE, ' feat ');
  s = s.replace(/['’‘`´]/gu, '');
  s = s.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  s = s.replace(DECORATION_RE, ' ');
  return s.replace(/\s+/g, ' ').trim();
}

/** {@link normalize}, then Cyrillic transliterated to Latin: the key similarity works on. */
export function comparable(text: string): string {
  return transliterate(normalize(text));
}

const BRACKETED_FEAT = new RegExp(String.raw`[(\[]\s*(?:${FEAT_WORD}|with)\s[^)\]]*[)\]]`, 'giu');
const INLINE_FEAT = new RegExp(String.raw`(?<![\p{L}\p{N}])${FEAT_WORD}\s.*?(?=\s[-–—|]\s|[(\[]|$)`, 'giu');

/**
 * Removes featuring clauses from a raw title: `(feat. X)`, `[ft. X]`, `(with X)` and an
 * unbracketed `feat. X` up to the next ` - `, `|` or bracket. Featured artists are compared
 * as artists, not as title words.
 *
 * @example stripFeaturing('Get Lucky (Radio Edit) [feat. Pharrell Williams]') // 'Get Lucky (Radio Edit)'
 */
export function stripFeaturing(title: string): string {
  return title.replace(BRACKETED_FEAT, ' ').replace(INLINE_FEAT, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The artist names a title credits after `feat.`/`ft.`/`(with …)`, split on commas, `&`,
 * `and`, `x`: what a YouTube title says about featured artists.
 */
export function featuredArtists(title: string): string[] {
  const out: string[] = [];
  const re = new RegExp(String.raw`(?:${FEAT_WORD}|[(\[]with)\s+([^)\]|]+?)(?=\s[-–—|]\s|[)\]]|$)`, 'giu');
  for (const m of title.matchAll(re)) {
    for (const name of (m[1] ?? '').split(/\s*(?:,|&|\band\b|\bx\b)\s*/u)) if (name.trim()) out.push(name.trim());
  }
  return out;
}
