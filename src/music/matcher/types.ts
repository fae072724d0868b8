/**
 * Types of the matcher: the track a user asked for, what a search returned, and the verdict.
 */

/** The track we are looking for, as exact as the metadata resolver could make it. */
export interface OriginalTrack {
  readonly title: string;
  /** Main artist first. May be empty when only a title is known. */
  readonly artists: readonly string[];
  readonly album?: string;
  readonly durationSec?: number;
  readonly isrc?: string;
  readonly explicit?: boolean;
}

/** Where a candidate came from: YouTube Music "songs", plain YouTube, SoundCloud. */
export type CandidateSource = 'youtube-music' | 'youtube' | 'soundcloud';

/** One search result. */
export interface Candidate {
  /** Source-specific id (YouTube video id, SoundCloud permalink, …). */
  readonly id: string;
  readonly title: string;
  /** Channel or uploader name as shown (`Adele - Topic`, `AdeleVEVO`, `7clouds`). */
  readonly uploader: string;
  /** Artists when the source lists them (YouTube Music songs do). */
  readonly artists?: readonly string[];
  readonly durationSec?: number;
  readonly isrc?: string;
  readonly source: CandidateSource;
  readonly url: string;
  readonly views?: number;
}

/** How a candidate's score was made up; every part is 0..100 except the adjustments. */
export interface ScoreBreakdown {
  readonly title: number;
  readonly artist: number;
  /** Null when either duration is unknown (the weight moves to title and artist). */
  readonly duration: number | null;
  /** Points added for signs of an official upload (` - Topic`, YouTube Music, views). */
  readonly bonus: number;
  /** Points taken for version words absent from the original (remix, live, …). */
  readonly penalty: number;
  /** The version words that were penalised, e.g. `['live', 'remaster']`. */
  readonly variants: readonly string[];
  readonly isrcMatch: boolean;
  /** Set when the candidate is out of the running whatever its score. */
  readonly rejected?: 'duration';
}

/** A candidate with its score (0..100) and the reasons for it. */
export interface ScoredCandidate {
  readonly candidate: Candidate;
  readonly score: number;
  readonly breakdown: ScoreBreakdown;
}

/** Why {@link MatchResult} is `none`. */
export type NoMatchReason = 'no-candidates' | 'duration-mismatch' | 'low-score';

/**
 * The matcher's verdict: a confident `match`, an `ambiguous` short list (up to three,
 * best first) for the user to choose from, or `none`.
 */
export type MatchResult =
  | {
      readonly kind: 'match';
      readonly candidate: Candidate;
      readonly score: number;
      readonly breakdown: ScoreBreakdown;
      /**
       * Other confident candidates, best first (at most {@link MATCH_THRESHOLDS.alternates}):
       * what to download instead when the chosen upload turns out blocked, removed or refused.
       */
      readonly alternates: readonly Candidate[];
    }
  | { readonly kind: 'ambiguous'; readonly top: readonly Candidate[]; readonly scores: readonly number[] }
  | { readonly kind: 'none'; readonly reason: NoMatchReason };
