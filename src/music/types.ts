/**
 * Shared shapes of the music pipeline: what a resolver learned about a link, and what the
 * pipeline hands to whoever presents it (the bot).
 */
import type { MusicLink, Platform } from './links/index.ts';
import type { Candidate, OriginalTrack } from './matcher/index.ts';

/**
 * A track as exactly as its service described it: the matcher's {@link OriginalTrack}
 * (title, artists, album, duration, ISRC) plus where it lives and its cover.
 */
export interface TrackInfo extends OriginalTrack {
  /** The service the metadata came from. */
  readonly platform: Platform;
  /** The item's canonical page (the caption links back to it). */
  readonly pageUrl: string;
  /** A cover image URL (JPEG or PNG, any size; scaled down for the thumbnail). */
  readonly coverUrl?: string;
}

/** One entry of an album or playlist, offered to the user as a button. */
export interface CollectionItem {
  /** The track's own link, run through the pipeline when its button is pressed. */
  readonly link: MusicLink;
  readonly title: string;
  readonly artists: readonly string[];
  readonly durationSec?: number;
}

/**
 * What a resolver made of a link:
 * - `track`: metadata to search for (and optional extra candidates, e.g. from Odesli);
 * - `media`: a page yt-dlp downloads directly (YouTube, SoundCloud); its metadata comes
 *   from yt-dlp's info JSON in the same run;
 * - `collection`: an album or playlist, its first tracks.
 */
export type Resolution =
  | { readonly kind: 'track'; readonly track: TrackInfo; readonly candidates?: readonly Candidate[] }
  | { readonly kind: 'media'; readonly url: string; readonly platform: Platform; readonly pageUrl: string }
  | { readonly kind: 'collection'; readonly title: string; readonly items: readonly CollectionItem[]; readonly total?: number };

/** What every resolver call receives. */
export interface ResolveContext {
  /** The Telegram user asking: their Spotify link gives exact metadata. */
  readonly userId?: number;
  /** Aborted when the user cancels or the job's deadline passes. */
  readonly signal: AbortSignal;
}

/** Resolves links of one platform. */
export interface PlatformResolver {
  /**
   * @throws {MusicError} `MUSIC_DEAD_LINK`, `MUSIC_SOURCE_UNAVAILABLE`,
   *   `MUSIC_COLLECTION_UNSUPPORTED`, … (see `errors.ts`).
   */
  resolve(link: MusicLink, ctx: ResolveContext): Promise<Resolution>;
}
