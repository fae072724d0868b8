/**
 * From a track's metadata to the upload to download: the matcher's queries (ISRC first,
 * then "artists - title"), the search source, extra candidates (Odesli's), the same upload
 * found by several searches merged into one, and the matcher's verdict — after asking the
 * source for the length and channel of leading candidates that lack them.
 */
import { buildQueries, decide, mergeCandidates, type MatchResult } from '../matcher/index.ts';
import type { Candidate } from '../matcher/index.ts';
import type { TrackInfo } from '../types.ts';
import type { SearchSource } from './searchSource.ts';

/** Options of {@link findMatch}. */
export interface FindMatchOptions {
  readonly signal: AbortSignal;
  /** Candidates known without searching (Odesli's YouTube link). */
  readonly extra?: readonly Candidate[];
  /** Results kept per query and source (default 5). */
  readonly limit?: number;
  /** Queries run at most (default 3: ISRC, full, short). */
  readonly maxQueries?: number;
  /** Candidates longer than this cannot be sent anyway. */
  readonly maxSeconds?: number;
}

/** Searches and judges: `match`, `ambiguous` (top three for the user) or `none`. */
export async function findMatch(track: TrackInfo, search: SearchSource, o: FindMatchOptions): Promise<MatchResult> {
  const queries = buildQueries(track).slice(0, o.maxQueries ?? 3);
  const found = await search.search(queries, { limit: o.limit ?? 5, signal: o.signal });
  const candidates = mergeCandidates([...(o.extra ?? []), ...found]).filter(
    (c) => o.maxSeconds === undefined || c.durationSec === undefined || c.durationSec <= o.maxSeconds,
  );
  const describe = search.describe?.bind(search);
  return decide(track, candidates, describe && ((cs) => describe(cs, { signal: o.signal })), {
    signal: o.signal,
    ...(o.maxSeconds !== undefined && { maxSeconds: o.maxSeconds }),
  });
}
