/**
 * Version words: words that mark a different recording or an altered copy of a song
 * (remix, live, cover, slowed, karaoke, …). A candidate is penalised for each kind that it
 * names *more often* than the original does, so "Live Forever" may be live-free while
 * "Live Forever (Live at Knebworth)" is not.
 */

/** How much a kind of version costs, in score points (0..100 scale). */
export const PENALTY = {
  /** A different recording or an altered copy: remix, live, cover, slowed, karaoke, … */
  heavy: 50,
  /** Often a different cut: acoustic, extended, edit, "version", demo, duet, … */
  medium: 30,
  /** Usually the same recording, cleaned up: remaster. */
  mild: 6,
} as const;

/** One kind of version and the phrases that name it (normalised, lower case). */
export interface VariantRule {
  readonly label: string;
  readonly phrases: readonly string[];
  readonly penalty: number;
  /** Also look at the channel name (`Sing King Karaoke`, `Nightcore Reality`). */
  readonly inChannel?: boolean;
  /** Only a variant when the original is explicit (a clean edit of an explicit song). */
  readonly onlyIfExplicit?: boolean;
  /**
   * Points taken when the *original* names this kind and the candidate does not (the
   * original is a remix, the candidate probably the plain song). Default: none.
   */
  readonly missingPenalty?: number;
}

const { heavy, medium, mild } = PENALTY;

/** Every version kind the matcher knows. "Lyrics", "audio", "HD" are decorations, not versions. */
export const VARIANT_RULES: readonly VariantRule[] = [
  { label: 'remix', penalty: heavy, missingPenalty: heavy / 2, phrases: ['remix', 'remixes', 'remixed', 'rmx', 'bootleg', 'flip', 'vip mix', 'ремикс', 'リミックス', '리믹스'] },
  { label: 'mashup', penalty: heavy, missingPenalty: heavy / 2, phrases: ['mashup', 'mash up', 'medley', 'мэшап'] },
  { label: 'live', penalty: heavy, missingPenalty: heavy / 2, phrases: ['live', 'concert', 'unplugged', 'fancam', 'fan cam', 'концерт', 'живое выступление', 'выступление', 'ライブ', '라이브', '직캠', '콘서트', '무대'] },
  { label: 'performance', penalty: heavy, phrases: ['performance', 'dance practice', 'choreography', 'stage mix', 'dance cover', '안무', '교차편집', 'ダンス'] },
  { label: 'cover', penalty: heavy, missingPenalty: heavy / 2, inChannel: true, phrases: ['cover', 'covers', 'covered', 'tribute', 'parody', 'кавер', 'пародия', '커버', 'カバー', '歌ってみた', '弾いてみた', '叩いてみた'] },
  { label: 'slowed', penalty: heavy, missingPenalty: heavy / 2, inChannel: true, phrases: ['slowed', 'daycore', 'замедлен', 'замедленная'] },
  { label: 'sped up', penalty: heavy, missingPenalty: heavy / 2, inChannel: true, phrases: ['sped up', 'speed up', 'spedup', 'speedup', 'ускорен', 'ускоренная'] },
  { label: 'nightcore', penalty: heavy, missingPenalty: heavy / 2, inChannel: true, phrases: ['nightcore'] },
  { label: 'reverb', penalty: heavy, missingPenalty: heavy / 2, inChannel: true, phrases: ['reverb'] },
  { label: 'instrumental', penalty: heavy, missingPenalty: heavy / 2, inChannel: true, phrases: ['instrumental', 'inst', 'off vocal', 'backing track', 'минус', 'минусовка', 'инструментал', '반주', 'インスト'] },
  { label: 'karaoke', penalty: heavy, missingPenalty: heavy / 2, inChannel: true, phrases: ['karaoke', 'sing along', 'singalong', 'караоке', 'カラオケ', '노래방'] },
  { label: 'acapella', penalty: heavy, missingPenalty: heavy / 2, phrases: ['acapella', 'a cappella', 'acappella', 'vocals only', 'vocal only'] },
  { label: '8d', penalty: heavy, missingPenalty: heavy / 2, inChannel: true, phrases: ['8d', '16d', '8d audio'] },
  { label: 'bass boosted', penalty: heavy, missingPenalty: heavy / 2, inChannel: true, phrases: ['bass boosted', 'bass boost'] },
  { label: 'lofi', penalty: heavy, missingPenalty: heavy / 2, inChannel: true, phrases: ['lofi', 'lo fi'] },
  { label: 'loop', penalty: heavy, phrases: ['1 hour', '10 hours', 'hour loop', 'loop', '1 час'] },
  { label: 'not music', penalty: heavy, phrases: ['reaction', 'tutorial', 'lesson', 'how to play', 'chords', 'tabs', 'реакция', 'разбор'] },
  { label: 'acoustic', penalty: medium, missingPenalty: medium / 2, phrases: ['acoustic', 'акустика', 'アコースティック', '어쿠스틱'] },
  { label: 'extended', penalty: medium, missingPenalty: medium / 2, phrases: ['extended', 'long version'] },
  { label: 'edit', penalty: medium, phrases: ['edit'] },
  { label: 'mix', penalty: medium, phrases: ['mix'] },
  { label: 'version', penalty: medium, missingPenalty: medium / 2, phrases: ['version', 'ver', 'versión', 'версия', 'バージョン'] },
  { label: 'alternative', penalty: medium, missingPenalty: medium / 2, phrases: ['demo', 'reprise', 'duet', 'remake', 'rework', 'orchestral', 'symphonic', 'piano', 'guitar', 'tiktok'] },
  { label: 'clean', penalty: medium, onlyIfExplicit: true, phrases: ['clean', 'censored', 'radio version'] },
  { label: 'remaster', penalty: mild, phrases: ['remaster', 'remastered', 'ремастер'] },
];

const patterns = new Map<string, RegExp>();

/** A global regex matching `phrase` as whole words in a space-separated text (cached). */
export function wordPattern(phrase: string): RegExp {
  let re = patterns.get(phrase);
  if (!re) {
    re = new RegExp(`(?<=^| )${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?= |$)`, 'g');
    if (patterns.size < 5000) patterns.set(phrase, re);
  }
  return re;
}

/** How many times `phrase` occurs in normalised `text` (whole words for Latin phrases). */
export function countPhrase(text: string, phrase: string): number {
  if (!text.includes(phrase)) return 0; // the common case, and far cheaper than a regex
  if (/^[\x20-\x7e]+$/.test(phrase)) return text.match(wordPattern(phrase))?.length ?? 0;
  // CJK and Cyrillic words are often glued to their neighbours: count substrings.
  let n = 0;
  for (let i = text.indexOf(phrase); i !== -1; i = text.indexOf(phrase, i + phrase.length)) n++;
  return n;
}

/** Texts the detector compares, all already normalised with the original's artists removed. */
export interface VariantInput {
  /** The original's title and album: version words here are legitimate in a candidate. */
  readonly original: string;
  /** The original's title alone: version words here should be in a candidate too. */
  readonly originalTitle: string;
  /** The candidate's title. */
  readonly candidate: string;
  /** The candidate's channel name. */
  readonly channel: string;
  readonly explicit?: boolean;
}

/**
 * The version kinds a candidate has beyond the original (labelled by kind), and those the
 * original has but the candidate lacks (labelled `no <kind>`), with their summed cost
 * (capped at 70).
 */
export function detectVariants(input: VariantInput): { labels: string[]; penalty: number } {
  const labels: string[] = [];
  let penalty = 0;
  for (const rule of VARIANT_RULES) {
    if (rule.onlyIfExplicit && !input.explicit) continue;
    const count = (text: string) => rule.phrases.reduce((n, p) => n + countPhrase(text, p), 0);
    const inCandidate = count(input.candidate) + (rule.inChannel ? count(input.channel) : 0);
    const inOriginal = count(input.original);
    if (inCandidate > inOriginal) {
      labels.push(rule.label);
      penalty += rule.penalty;
    } else if (rule.missingPenalty && inCandidate === 0 && count(input.originalTitle) > 0) {
      labels.push(`no ${rule.label}`);
      penalty += rule.missingPenalty;
    }
  }
  return { labels, penalty: Math.min(penalty, 70) };
}

const REMIX_WORDS = new Set(['remix', 'rmx', 'mix', 'bootleg', 'flip', 'rework', 'vip', 'ремикс']);
const GENERIC_WORDS = new Set([
  ...REMIX_WORDS, 'radio', 'club', 'original', 'extended', 'edit', 'version', 'feat', 'remaster', 'remastered',
  'dub', 'instrumental', 'short', 'long', 'the', 'and', 'x', 'official', 'mixed', 'by',
]);

/**
 * The names that tell one remix from another: in a title segment (a bracket or a ` - `
 * suffix) that names a remix, the words other than generic ones (`Cold Heart - PNAU
 * Remix` → `['pnau']`). Input: the raw title; output: {@link normalize}d words.
 */
export function remixQualifiers(title: string, normalizeText: (s: string) => string): string[] {
  const segments = [...title.matchAll(/\(([^)]*)\)|\[([^\]]*)\]/g)].map((m) => m[1] ?? m[2] ?? '');
  segments.push(...title.split(/\s[-–—]\s/u).slice(1));
  const out = new Set<string>();
  for (const segment of segments) {
    const words = normalizeText(segment).split(' ').filter((w) => w.length > 0);
    if (!words.some((w) => REMIX_WORDS.has(w))) continue;
    for (const w of words) if (!GENERIC_WORDS.has(w)) out.add(w);
  }
  return [...out];
}
