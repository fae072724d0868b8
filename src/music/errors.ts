/**
 * The one error class of the music pipeline. Callers branch on `code` (a stable string the
 * locale files key their user messages on: `MUSIC_TOO_LONG` → `music-error-too-long`),
 * never on `message`, which is for operators and logs.
 *
 * Invariant: no message or property holds a token, a cookie, a proxy password or a raw
 * response body: only codes, statuses, service names and limits.
 */

/** Every reason a music request can fail, as the user is told it. */
export type MusicErrorCode =
  /** A link to a service or a page we cannot turn into audio. */
  | 'MUSIC_UNSUPPORTED_LINK'
  /** Albums, playlists or artists of a service whose lists we cannot read yet. */
  | 'MUSIC_COLLECTION_UNSUPPORTED'
  /** Spotify will not show this playlist's entries to the bot (not the user's own, or Spotify's). */
  | 'MUSIC_PLAYLIST_REFUSED'
  /** The item does not exist (404, "no data", a removed video). */
  | 'MUSIC_DEAD_LINK'
  /** The source refuses this server's country. */
  | 'MUSIC_REGION_BLOCKED'
  /** Yandex Music refused both its API and its page (it blocks many non-CIS IPs). */
  | 'MUSIC_YANDEX_REFUSED'
  /** The source wants a login (age gate, "confirm you are not a bot"): cookies may help. */
  | 'MUSIC_SOURCE_REFUSED'
  /** A live stream (or one not started yet): nothing to download. */
  | 'MUSIC_LIVE_STREAM'
  /** Longer than `MAX_TRACK_SECONDS`. */
  | 'MUSIC_TOO_LONG'
  /** Larger than `MAX_UPLOAD_MB`. */
  | 'MUSIC_TOO_LARGE'
  /** No search result is the track. */
  | 'MUSIC_NO_MATCH'
  /** A metadata service or the media source did not answer (network, 5xx). */
  | 'MUSIC_SOURCE_UNAVAILABLE'
  /** The source rate-limits this server ("try again later", HTTP 429, a captcha): retry later. */
  | 'MUSIC_SOURCE_THROTTLED'
  /**
   * The source refuses yt-dlp's current way in (media 403, "Requested format is not
   * available"): YouTube broke a player client; an updated yt-dlp usually fixes it.
   */
  | 'MUSIC_SOURCE_BROKEN'
  /** The source gave only a preview (SoundCloud Go+ ~30 s clip): never sent as the track. */
  | 'MUSIC_PREVIEW_ONLY'
  /** A step took longer than its time budget. */
  | 'MUSIC_TIMEOUT'
  /** yt-dlp or ffmpeg is missing or broken on this server (an operator problem). */
  | 'MUSIC_TOOL_MISSING'
  /** yt-dlp or ffmpeg failed for a reason we do not recognise. */
  | 'MUSIC_DOWNLOAD_FAILED'
  /** The user pressed cancel (or the bot is shutting down). */
  | 'MUSIC_CANCELLED'
  /** A picked candidate or album track whose stored choice expired before its job ran. */
  | 'MUSIC_CHOICE_EXPIRED'
  /** Two download workers died holding the job (PostgreSQL queue): it is not tried a third time. */
  | 'MUSIC_WORKER_LOST';

/** Codes worth trying again later. */
const RETRYABLE: ReadonlySet<MusicErrorCode> = new Set([
  'MUSIC_SOURCE_UNAVAILABLE',
  'MUSIC_SOURCE_THROTTLED',
  'MUSIC_SOURCE_BROKEN',
  'MUSIC_TIMEOUT',
  'MUSIC_DOWNLOAD_FAILED',
]);

/**
 * A music request failed for a reason the user should hear about.
 *
 * @example
 * throw new MusicError('MUSIC_TOO_LONG', 'track is 1500 s, limit 1200 s', { limit: 1200 });
 * // the bot: ctx.t('music-error-too-long', { minutes: 20 })
 */
export class MusicError extends Error {
  override readonly name = 'MusicError';
  readonly code: MusicErrorCode;
  /** Whether the same request may succeed later. */
  readonly retryable: boolean;
  /** Which service or tool failed (`deezer`, `yt-dlp`, …), when one did. */
  readonly service: string | undefined;
  /** HTTP status when a response arrived. */
  readonly status: number | undefined;

  constructor(code: MusicErrorCode, message: string, options: { service?: string; status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    this.service = options.service;
    this.status = options.status;
  }
}

/** True for a {@link MusicError} with one of `codes`. */
export function isMusicError(err: unknown, ...codes: MusicErrorCode[]): err is MusicError {
  return err instanceof MusicError && (codes.length === 0 || codes.includes(err.code));
}

/**
 * The error an aborted step should end with: the signal's own {@link MusicError} reason
 * when the pipeline aborted it on purpose (cancel, deadline), else `MUSIC_CANCELLED`.
 */
export function abortReason(signal: AbortSignal): MusicError {
  const reason: unknown = signal.reason;
  if (reason instanceof MusicError) return reason;
  return new MusicError('MUSIC_CANCELLED', 'the request was cancelled');
}
