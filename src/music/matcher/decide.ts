import { mergeCandidate, candidateIdentity } from './merge.ts';
import { MATCH_THRESHOLDS, pickBest, rankCandidates } from './pickBest.ts';
import { isTopicStyle } from './scoreCandidate.ts';
import type { Candidate, MatchResult, OriginalTrack } from './types.ts';

/**
 * Fetches what a search entry lacks (length, channel, credits) for a few candidates, e.g.
 * one `yt-dlp -J` over their watch URLs. Resolves the candidates it could describe, in any
 * order; the ones it could not are left out.
 */
export type DescribeCandidates = (candidates: readonly Candidate[]) => Promise<readonly Candidate[]>;

/** How many candidates one describe step asks about at most (one yt-dlp run, a few pages). */
export const DESCRIBE_LIMIT = 4;

/** Options of {@link decide}. */
export interface DecideOptions {
  /** Aborting rejects with the signal's reason instead of deciding without the facts. */
  readonly signal?: AbortSignal;
  /** Described candidates longer than this are dropped (they cannot be sent anyway). */
  readonly maxSeconds?: number;
}

/** A search entry that says nothing of its length or channel (YouTube Music's song search). */
export function lacksFacts(c: Candidate): boolean {
  return c.durationSec === undefined || c.uploader.trim() === '';
}

/**
 * Decide, describe, decide again: judges the candidates; unless the verdict is already an
 * ISRC hit or a Topic-style song, asks `describe` about the best-ranked candidates whose
 * title fits but whose length or channel is unknown (at most {@link DESCRIBE_LIMIT}), merges
 * what it says and judges again. A failed describe leaves the first verdict (where a
 * candidate of unknown length is never a match when the original's length is known).
 */
export async function decide(original: OriginalTrack, candidates: readonly Candidate[], describe?: DescribeCandidates, o: DecideOptions = {}): Promise<MatchResult> {
  const first = pickBest(original, candidates);
  if (!describe) return first;
  if (first.kind === 'match' && (first.breakdown.isrcMatch || isTopicStyle(first.candidate))) return first;
  const ask = rankCandidates(original, candidates)
    .filter((s) => s.breakdown.rejected === undefined && lacksFacts(s.candidate) && s.breakdown.title >= MATCH_THRESHOLDS.minTitle)
    .slice(0, DESCRIBE_LIMIT)
    .map((s) => s.candidate);
  if (ask.length === 0) return first;
  let described: readonly Candidate[];
  try {
    described = await describe(ask);
  } catch {
    if (o.signal?.aborted) throw o.signal.reason;
    return first;
  }
  const facts = new Map(described.map((d) => [candidateIdentity(d), d]));
  const merged = candidates
    .map((c) => {
      const d = facts.get(candidateIdentity(c));
      return d ? mergeCandidate(c, d) : c;
    })
    .filter((c) => o.maxSeconds === undefined || c.durationSec === undefined || c.durationSec <= o.maxSeconds);
  return pickBest(original, merged);
}
