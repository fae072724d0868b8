/**
 * Shapes of the text search ("find a song by its name"): what one catalogue answers for a
 * query, and the interface each catalogue client implements.
 */
import type { MusicLink } from '../links/index.ts';

/**
 * One track a catalogue found. Its `link` is what a tap on its button runs through the
 * pipeline, exactly as if the user had sent that link: the resolver then reads the full
 * metadata (ISRC, album, cover) and the cache, matcher and downloader work unchanged.
 */
export interface FoundTrack {
  readonly link: MusicLink;
  readonly title: string;
  readonly artists: readonly string[];
  readonly durationSec?: number;
  /** Only Spotify's search prints it (Deezer's and iTunes' search results have none). */
  readonly isrc?: string;
}

/** A catalogue searched by text. */
export interface CatalogSearch {
  /** For logs ("deezer", "itunes", "spotify"). */
  readonly name: string;
  /**
   * Up to `limit` tracks, the catalogue's best first.
   *
   * @throws {MusicError} `MUSIC_SOURCE_UNAVAILABLE` (down, timed out, refused, a body of
   *   another shape); the signal's reason when aborted.
   */
  search(query: string, limit: number, signal: AbortSignal): Promise<FoundTrack[]>;
}
