/**
 * The search step behind an interface: production searches YouTube Music and YouTube
 * through yt-dlp; tests give a local source (YouTube cannot be reached from them).
 */
import type { Candidate } from '../matcher/index.ts';

/** Options of one {@link SearchSource.search} call. */
export interface SearchOptions {
  /** Results wanted per query and source. */
  readonly limit: number;
  readonly signal: AbortSignal;
}

/** Finds candidates for a track. */
export interface SearchSource {
  /**
   * Runs `queries` (most precise first: an ISRC, then "artists - title", …) and resolves
   * every result, in query order, each URL once. An empty list means nothing was found.
   *
   * @throws {MusicError} `MUSIC_SOURCE_UNAVAILABLE` when the search itself failed.
   */
  search(queries: readonly string[], options: SearchOptions): Promise<Candidate[]>;
  /**
   * Optional: what the search entries lack (length, channel, credits) for a few
   * candidates, without downloading. YouTube Music's song search gives only id and title,
   * so the matcher asks before trusting one. Resolves the candidates it could describe
   * (others left out); throws only when aborted or when the whole run failed.
   */
  describe?(candidates: readonly Candidate[], options: { readonly signal: AbortSignal }): Promise<Candidate[]>;
}
