/**
 * The matcher: which search result is the track the user asked for (spotDL-style).
 *
 * @example
 * import { buildQueries, pickBest } from './music/matcher/index.ts';
 * const queries = buildQueries(track);            // search these in order
 * const verdict = pickBest(track, searchResults); // match | ambiguous | none
 */
export type { Candidate, CandidateSource, MatchResult, NoMatchReason, OriginalTrack, ScoreBreakdown, ScoredCandidate } from './types.ts';
export { buildQueries, searchTitle } from './buildQueries.ts';
export { normalize, comparable, stripFeaturing, featuredArtists } from './normalize.ts';
export { scoreCandidate, isTopicStyle, SCORING } from './scoreCandidate.ts';
export { candidateIdentity, mergeCandidate, mergeCandidates } from './merge.ts';
export { decide, lacksFacts, DESCRIBE_LIMIT, type DescribeCandidates, type DecideOptions } from './decide.ts';
export { pickBest, rankCandidates, MATCH_THRESHOLDS } from './pickBest.ts';
export { VARIANT_RULES, PENALTY } from './variantWords.ts';
export { levenshtein, ratio, tokenSetRatio, tokenSortRatio, textSimilarity } from './similarity.ts';
