import type { Candidate, OriginalTrack, ScoreBreakdown, ScoredCandidate } from './types.ts';
import { comparable, featuredArtists, normalize, stripFeaturing } from './normalize.ts';
import { ratio, textSimilarity, tokenSortRatio } from './similarity.ts';
import { detectVariants, PENALTY } from './variantWords.ts';
import { containsPhrase, normalizeIsrc, prepareOriginal, removePhrases, validDuration, type PreparedOriginal } from './prepare.ts';

/**
 * Scoring constants. The score is a weighted mean of title, artist and duration similarity
 * (each 0..100), plus small bonuses for signs of an official upload, minus version-word
 * penalties (see `variantWords.ts`), clamped to 0..100.
 */
export const SCORING = {
  /** Weights when both durations are known. */
  weights: { title: 0.45, artist: 0.35, duration: 0.2 },
  /** Weights when a duration is unknown. */
  weightsNoDuration: { title: 0.55, artist: 0.45 },
  /** A gap above this many seconds rejects the candidate outright (spotDL's rule). */
  maxDurationGapSec: 15,
  /** Gaps up to this are perfect (rounding, silence trimmed by the uploader). */
  freeDurationGapSec: 2,
  /** Duration score at the largest accepted gap; it falls linearly from 100 to this. */
  durationScoreAtMaxGap: 60,
  /** Bonus for YouTube's auto-generated `Artist - Topic` channels (official audio). */
  topicBonus: 4,
  /** Bonus for any other YouTube Music result. */
  youtubeMusicBonus: 2,
  /** At most this much for views (log scale), a tie-breaker between re-uploads. */
  maxViewsBonus: 2,
  /**
   * The weighted mean is scaled by this so that mean + bonuses stays within 100 and a
   * perfect official upload still outranks a perfect re-upload.
   */
  meanScale: 0.94,
  /** Discount on a match against the original's title without its ` - ` suffix. */
  mainTitleFactor: 0.9,
  /** Cost of naming a different remixer than the original's (`PNAU Remix` vs `Claptone Remix`). */
  otherRemixPenalty: PENALTY.medium,
  /** Most points all penalties together may take. */
  maxPenalty: 70,
} as const;

const TOPIC = /\s[-–—]\s*topic\s*$/i;

/**
 * A distributed song rather than a channel upload: YouTube's auto-generated `Artist - Topic`
 * channel, or a YouTube Music song whose credits are known (`-J` reads them from the
 * "Provided to YouTube by" description).
 */
export function isTopicStyle(c: Candidate): boolean {
  return TOPIC.test(c.uploader) || (c.source === 'youtube-music' && (c.artists?.length ?? 0) > 0);
}
const TITLE_SEPARATORS = /\s[-–—|／/]\s/u;

/**
 * Scores one candidate against the original, 0..100 (higher is better).
 *
 * - An ISRC equal to the original's wins outright: score 100, never rejected.
 * - Both durations known and more than {@link SCORING.maxDurationGapSec} apart: rejected
 *   (`breakdown.rejected = 'duration'`, score 0).
 * - Title similarity compares the original title (featuring clauses removed) with the
 *   candidate title, its ` - `/`|`-separated parts, each with the original's artist names
 *   removed, and keeps the best; artists are found in the candidate's artist list, its
 *   channel (` - Topic`, `VEVO` stripped) or named in its title.
 * - Version words the original does not have cost points (remix, live, cover, … heavily;
 *   acoustic, edit, version, … medium; remaster mildly; lyrics nothing).
 *
 * @example
 * scoreCandidate({ title: 'Hello', artists: ['Adele'], durationSec: 295 },
 *   { id: 'x', title: 'Hello', uploader: 'Adele - Topic', durationSec: 295, source: 'youtube-music', url: '…' }).score
 * // 98: a perfect mean (100 × 0.94) plus the topic bonus (4)
 */
export function scoreCandidate(original: OriginalTrack, candidate: Candidate): ScoredCandidate {
  const o = prepareOriginal(original);
  const isrc = normalizeIsrc(candidate.isrc);
  if (o.isrc !== undefined && isrc === o.isrc) {
    const breakdown: ScoreBreakdown = { title: 100, artist: 100, duration: null, bonus: 0, penalty: 0, variants: [], isrcMatch: true };
    return { candidate, score: 100, breakdown };
  }
  const title = titleSimilarity(o, candidate);
  const artist = o.artists.length > 0 ? artistSimilarity(o, candidate) : 0;
  const duration = durationSimilarity(o.durationSec, validDuration(candidate.durationSec));
  const variants = detectVariants({
    original: o.variantBase,
    originalTitle: o.variantTitle,
    candidate: removePhrases(normalize(candidate.title), o.artistsNormalized),
    channel: removePhrases(normalize(candidate.uploader), o.artistsNormalized),
    explicit: o.explicit,
  });
  const labels = [...variants.labels];
  let penalty = variants.penalty;
  if (namesOtherRemixer(o, candidate)) {
    labels.push('other remix');
    penalty = Math.min(SCORING.maxPenalty, penalty + SCORING.otherRemixPenalty);
  }
  const bonus = uploadBonus(candidate);
  const base: Omit<ScoreBreakdown, 'duration' | 'rejected'> = {
    title: round(title), artist: round(artist), bonus: round(bonus), penalty, variants: labels, isrcMatch: false,
  };
  if (duration === 'reject') {
    return { candidate, score: 0, breakdown: { ...base, duration: 0, rejected: 'duration' } };
  }
  const weighted = weightedMean(title, o.artists.length > 0 ? artist : null, duration);
  const score = Math.max(0, Math.min(100, SCORING.meanScale * weighted + bonus - penalty));
  return { candidate, score: round(score), breakdown: { ...base, duration: duration === null ? null : round(duration) } };
}

function weightedMean(title: number, artist: number | null, duration: number | null): number {
  const w = duration === null ? { ...SCORING.weightsNoDuration, duration: 0 } : SCORING.weights;
  const parts: Array<[number, number]> = [[title, w.title], [duration ?? 0, w.duration]];
  if (artist !== null) parts.push([artist, w.artist]);
  const total = parts.reduce((s, [, weight]) => s + weight, 0);
  return parts.reduce((s, [value, weight]) => s + value * weight, 0) / total;
}

function titleSimilarity(o: PreparedOriginal, candidate: Candidate): number {
  if (o.title.length === 0) return 0;
  const core = stripFeaturing(candidate.title);
  // Bracketed asides are often a translation or a credit ("봄날 (Spring Day)",
  // "Through the Night (밤편지)", "MV「Lemon」"): try without them and each on its own.
  // Version words in brackets are still penalised from the full title.
  const unbracketed = core.replace(/\s*(?:\([^)]*\)|\[[^\]]*\])/g, ' ').trim();
  const bracketed = [...core.matchAll(/\(([^)]*)\)|\[([^\]]*)\]|「([^」]*)」|『([^』]*)』/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
  const texts = [core, unbracketed, ...core.split(TITLE_SEPARATORS), ...unbracketed.split(TITLE_SEPARATORS), ...bracketed];
  let best = 0;
  for (const text of texts) {
    const c = comparable(text);
    for (const variant of [removePhrases(c, o.artists), c]) {
      if (variant.length === 0) continue;
      best = Math.max(best, textSimilarity(o.title, variant));
      if (o.titleMain) best = Math.max(best, SCORING.mainTitleFactor * textSimilarity(o.titleMain, variant));
    }
    if (best === 100) break;
  }
  return best;
}

function namesOtherRemixer(o: PreparedOriginal, candidate: Candidate): boolean {
  if (o.remixQualifiers.length === 0) return false;
  const text = comparable(`${candidate.title} ${candidate.uploader} ${(candidate.artists ?? []).join(' ')}`);
  return o.remixQualifiers.some((q) => !containsPhrase(text, q));
}

/** How well two artist or channel names agree, 0..100, ignoring spaces and word order. */
function nameSimilarity(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  return Math.max(ratio(a, b), tokenSortRatio(a, b), ratio(a.replace(/ /g, ''), b.replace(/ /g, '')));
}

function artistSimilarity(o: PreparedOriginal, candidate: Candidate): number {
  const listed = [...(candidate.artists ?? []), ...featuredArtists(candidate.title)].map(comparable);
  const channel = comparable(candidate.uploader);
  const titleText = comparable(candidate.title);
  const evidence = o.artists.map((a) =>
    Math.max(
      ...listed.map((x) => nameSimilarity(a, x)),
      nameSimilarity(a, channel),
      containsPhrase(titleText, a) ? 100 : 0,
      containsPhrase(channel, a) ? 95 : 0,
    ),
  );
  const [first = 0, ...rest] = evidence;
  if (rest.length === 0) return first;
  // A collaboration may sit on the second artist's channel; featured artists are often
  // missing from YouTube titles, so they add a little rather than take much.
  const main = Math.max(first, 0.9 * Math.max(...rest));
  const others = rest.reduce((s, x) => s + x, 0) / rest.length;
  return 0.85 * main + 0.15 * others;
}

function durationSimilarity(a: number | undefined, b: number | undefined): number | null | 'reject' {
  if (a === undefined || b === undefined) return null;
  const gap = Math.abs(a - b);
  if (gap > SCORING.maxDurationGapSec) return 'reject';
  if (gap <= SCORING.freeDurationGapSec) return 100;
  const span = SCORING.maxDurationGapSec - SCORING.freeDurationGapSec;
  return 100 - ((gap - SCORING.freeDurationGapSec) / span) * (100 - SCORING.durationScoreAtMaxGap);
}

function uploadBonus(candidate: Candidate): number {
  let bonus = 0;
  if (TOPIC.test(candidate.uploader)) bonus += SCORING.topicBonus;
  else if (candidate.source === 'youtube-music') bonus += SCORING.youtubeMusicBonus;
  if (candidate.views !== undefined && candidate.views > 0) {
    bonus += Math.min(SCORING.maxViewsBonus, Math.log10(candidate.views + 1) / 4.5);
  }
  return bonus;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
