/**
 * Builders for the matcher's table of realistic cases: each case is the original track's
 * metadata and a search result list modelled on what YouTube / YouTube Music return.
 *
 * Real-shaped cases hold YouTube Music song entries as yt-dlp prints them
 * (`_tab.py` `_music_reponsive_list_entry`, see `test/contracts/ytDlpSearch.ts`): id, title
 * and URL only, no channel, length, artists or views. `facts` holds what `yt-dlp -J` of the
 * watch page says about an id (`_video.py`: channel, duration, artists from the "Provided
 * to YouTube by" description, views; never an ISRC); the table runs the same
 * decide → describe → decide flow as `findMatch` with them.
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
  /** What `yt-dlp -J` says per id (real-shaped cases); an id left out fails to describe. */
  readonly facts?: Readonly<Record<string, Candidate>>;
}

interface Extra {
  readonly artists?: readonly string[];
  readonly isrc?: string;
  readonly views?: number;
}

const watch = (id: string) => `https://www.youtube.com/watch?v=${id}`;

function make(source: Candidate['source'], id: string, title: string, uploader: string, durationSec: number | undefined, extra: Extra): Candidate {
  const url = source === 'soundcloud' ? `https://soundcloud.com/${id}` : watch(id);
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

/** A YouTube Music song entry as yt-dlp really prints it: id and title, nothing else. */
export const bare = (id: string, title: string): Candidate => ({ id, title, uploader: '', source: 'youtube-music', url: watch(id) });

/** What `yt-dlp -J <watch url>` tells about a video (credits only for auto-generated songs). */
export const info = (id: string, title: string, channel: string, durationSec: number, extra: Omit<Extra, 'isrc'> = {}): Candidate =>
  make('youtube', id, title, channel, durationSec, extra);

/** Facts keyed by id. */
export const factsOf = (...described: Candidate[]): Record<string, Candidate> => Object.fromEntries(described.map((d) => [d.id, d]));

/**
 * The same scene as a rich case, with its YouTube Music entries as yt-dlp really gives them:
 * bare, their channel, length, credits and views only known after describing. `-J` gives no
 * ISRC, so ISRCs are dropped; `good` may be overridden where that changes the right answer.
 */
export function bareTwin(c: MatchCase, good: readonly string[] = c.good): MatchCase | undefined {
  const music = c.candidates.filter((x) => x.source === 'youtube-music');
  if (music.length === 0) return undefined;
  const facts = factsOf(
    ...music.map((x) => make('youtube', x.id, x.title, x.uploader, x.durationSec, { ...(x.artists && { artists: x.artists }), ...(x.views && { views: x.views }) })),
  );
  return {
    name: `${c.name} [YouTube Music entries bare]`,
    original: c.original,
    candidates: c.candidates.map((x) => (x.source === 'youtube-music' ? bare(x.id, x.title) : x)),
    good,
    bad: c.bad,
    facts,
  };
}
