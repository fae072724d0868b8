/**
 * Builders for the matcher's table of realistic cases: each case is the original track's
 * metadata and a search result list modelled on what YouTube / YouTube Music return.
 */
import type { Candidate, OriginalTrack } from '../../../../src/music/matcher/types.ts';

export interface MatchCase {
  readonly name: string;
  readonly original: OriginalTrack;
  readonly candidates: readonly Candidate[];
  /** Ids that are a right answer. Empty: the right answer is "no confident match". */
  readonly good: readonly string[];
  /** Ids of altered versions (remix, live, cover, slowed, karaoke, …): never to be picked. */
  readonly bad: readonly string[];
}

interface Extra {
  readonly artists?: readonly string[];
  readonly isrc?: string;
  readonly views?: number;
}

function make(source: Candidate['source'], id: string, title: string, uploader: string, durationSec: number | undefined, extra: Extra): Candidate {
  const url = source === 'soundcloud' ? `https://soundcloud.com/${id}` : `https://www.youtube.com/watch?v=${id}`;
  return { id, title, uploader, source, url, ...(durationSec === undefined ? {} : { durationSec }), ...extra };
}

/** A plain YouTube search result. */
export const yt = (id: string, title: string, uploader: string, durationSec: number | undefined, extra: Extra = {}): Candidate =>
  make('youtube', id, title, uploader, durationSec, extra);

/** A YouTube Music result; a song on a ` - Topic` channel when `uploader` says so. */
export const ytm = (id: string, title: string, uploader: string, durationSec: number | undefined, extra: Extra = {}): Candidate =>
  make('youtube-music', id, title, uploader, durationSec, extra);

/** A SoundCloud search result. */
export const sc = (id: string, title: string, uploader: string, durationSec: number | undefined, extra: Extra = {}): Candidate =>
  make('soundcloud', id, title, uploader, durationSec, extra);
