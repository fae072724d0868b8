import type { Candidate, MatchResult, OriginalTrack, ScoredCandidate } from './types.ts';
import { isTopicStyle, scoreCandidate } from './scoreCandidate.ts';
import { validDuration } from './prepare.ts';

/**
 * When the matcher trusts its best candidate. A candidate is a confident `match` when
 * its score is at least `matchScore` *and* its title similarity at least `minTitle` *and*
 * (if the original names artists) its artist similarity at least `minArtist`: a right
 * title by the wrong artist, or the right artist with a different song, never passes on
 * the strength of the other parts. Otherwise, if the best score reaches `ambiguousFloor`,
 * the user is shown up to `shortList` candidates scoring at least `listFloor`; below that
 * there is no match.
 *
 * Calibration: a correct upload scores about 90–98 (official audio on a ` - Topic`
 * channel highest); one medium version word (acoustic, edit, "version") caps a perfect
 * candidate at 70, one heavy word (remix, live, cover, slowed, karaoke, …) at 50, both
 * well below `matchScore`, so an altered version is never a confident match.
 */
export const MATCH_THRESHOLDS = {
  matchScore: 80,
  minTitle: 70,
  minArtist: 60,
  ambiguousFloor: 45,
  listFloor: 30,
  shortList: 3,
  /** Confident candidates kept behind the match, tried in turn when it cannot be downloaded. */
  alternates: 2,
  /**
   * A Topic-style song (see `isTopicStyle`) with no version word, its length fitting, is
   * confident with a title at least this similar and artists at least `topicArtist`, even
   * if transliteration or a long credit list keeps its score under `matchScore`.
   */
  topicTitle: 85,
  topicArtist: 80,
} as const;

/** Every candidate scored, best first (ties keep the search order). */
export function rankCandidates(original: OriginalTrack, candidates: readonly Candidate[]): ScoredCandidate[] {
  return candidates
    .map((c, i) => ({ scored: scoreCandidate(original, c), i }))
    .sort((a, b) => b.scored.score - a.scored.score || a.i - b.i)
    .map((x) => x.scored);
}

/**
 * Confident without an ISRC. A candidate of unknown length never is while another one's
 * length is known to fit (`lengthFits`): a bare search entry must not beat it (an
 * "extended" re-release 95 s longer won that way); `decide.ts` fetches such lengths first.
 */
function isConfident(s: ScoredCandidate, hasArtists: boolean, lengthFits: boolean): boolean {
  const t = MATCH_THRESHOLDS;
  const b = s.breakdown;
  if (lengthFits && b.duration === null) return false;
  if (isTopicStyle(s.candidate) && b.penalty === 0 && b.title >= t.topicTitle && (!hasArtists || b.artist >= t.topicArtist)) return true;
  return s.score >= t.matchScore && b.title >= t.minTitle && (!hasArtists || b.artist >= t.minArtist);
}

/**
 * Picks the candidate to download, or says it cannot decide.
 *
 * - `match`: an ISRC hit (the best-scored of them), else the best candidate that passes
 *   {@link MATCH_THRESHOLDS};
 * - `ambiguous`: no confident candidate but a plausible one: the top three, best first,
 *   for the user to choose;
 * - `none`: no candidates (`no-candidates`), every one rejected for its duration
 *   (`duration-mismatch`), or nothing plausible (`low-score`).
 *
 * @example
 * const result = pickBest(track, results);
 * if (result.kind === 'match') download(result.candidate.url);
 * else if (result.kind === 'ambiguous') offerButtons(result.top);
 */
export function pickBest(original: OriginalTrack, candidates: readonly Candidate[]): MatchResult {
  if (candidates.length === 0) return { kind: 'none', reason: 'no-candidates' };
  const ranked = rankCandidates(original, candidates);
  const isrcHit = ranked.find((s) => s.breakdown.isrcMatch);
  const hasArtists = original.artists.some((a) => a.trim().length > 0);
  // Some candidate's length is known and within the gap the scorer accepts.
  const lengthFits = validDuration(original.durationSec) !== undefined && ranked.some((s) => s.breakdown.rejected === undefined && s.breakdown.duration !== null && !s.breakdown.isrcMatch);
  const confident = (s: ScoredCandidate) => isConfident(s, hasArtists, lengthFits);
  const acceptable = (s: ScoredCandidate) => s.breakdown.isrcMatch || (s.breakdown.rejected === undefined && confident(s));
  const matched = (s: ScoredCandidate): MatchResult => ({
    kind: 'match',
    candidate: s.candidate,
    score: s.score,
    breakdown: s.breakdown,
    alternates: ranked.filter((r) => r !== s && acceptable(r)).slice(0, MATCH_THRESHOLDS.alternates).map((r) => r.candidate),
  });
  if (isrcHit) return matched(isrcHit);
  const alive = ranked.filter((s) => s.breakdown.rejected === undefined);
  if (alive.length === 0) return { kind: 'none', reason: 'duration-mismatch' };
  const first = alive.find(confident);
  if (first) return matched(first);
  const best = alive[0]!;
  if (best.score < MATCH_THRESHOLDS.ambiguousFloor) return { kind: 'none', reason: 'low-score' };
  const top = alive.filter((s) => s.score >= MATCH_THRESHOLDS.listFloor).slice(0, MATCH_THRESHOLDS.shortList);
  return { kind: 'ambiguous', top: top.map((s) => s.candidate), scores: top.map((s) => s.score) };
}
