/**
 * Turns yt-dlp's `ERROR:` lines into {@link MusicError} codes by what they mean. yt-dlp has
 * no machine-readable error kinds, so this reads the wording of its extractors (yt-dlp
 * 2023.03.04 as installed, and 2026.08.19 from github.com/yt-dlp/yt-dlp); anything not
 * recognised is a plain `MUSIC_DOWNLOAD_FAILED` (and the operator sees the line in the log).
 *
 * Order matters: the first rule that matches wins. "The source refuses right now" comes
 * before "dead link", because YouTube words a rate limit as "Video unavailable. This
 * content isn't available, try again later" and a broken player client as an HTTP 403 or
 * "Requested format is not available" — none of which means the item is gone.
 */
import { scrubText } from '../../log.ts';
import { MusicError, type MusicErrorCode } from '../errors.ts';

const RULES: readonly [RegExp, MusicErrorCode][] = [
  // Rate limits. `_video.py`: "This content isn't available, try again later" (2026, the
  // session "has been rate-limited by YouTube for up to an hour"); "YouTube is requiring a
  // captcha challenge before playback"; any HTTP 429.
  [/try again later|rate[- ]limit|captcha|HTTP Error 429|too many requests/i, 'MUSIC_SOURCE_THROTTLED'],
  // Geo blocks: `raise_geo_restricted` ("This video is not available from your location due
  // to geo restriction"), YouTube's subreason "The uploader has not made this video available
  // in your country", HTTP 451.
  [/not available in your country|geo[- ]?restrict|not available from your location|blocked it in your (?:country|region)|not made this video available in your country|unavailable in your region|HTTP Error 451/i, 'MUSIC_REGION_BLOCKED'],
  [/live event will begin|premieres in|this live event|is a live stream|live stream recording is not available/i, 'MUSIC_LIVE_STREAM'],
  [/sign in to confirm|confirm your age|age[- ]restricted|login required|requires? (?:a )?(?:login|payment|subscription)|private video|members[- ]only|use --cookies/i, 'MUSIC_SOURCE_REFUSED'],
  // A player client YouTube broke (yt-dlp #17456): `YoutubeDL.dl` reports "unable to download
  // video data: HTTP Error 403: Forbidden"; format selection "Requested format is not
  // available" (our `-f` ends in `best`, so nothing at all was offered); `raise_no_formats`
  // "No video formats found!"; other 403s (the page or API refusing this server).
  [/HTTP Error 403|requested format is not available|no video formats found|signature extraction failed|nsig extraction failed|precondition check failed/i, 'MUSIC_SOURCE_BROKEN'],
  // The item does not exist: YouTube's "Video unavailable", "This video has been removed…",
  // "This video does not exist.", a terminated account; a page answering 404 or 410; a page
  // without media (the generic extractor's "Unsupported URL").
  [/HTTP Error 404|HTTP Error 410|video unavailable|has been removed|does not exist|no longer available|account .*terminated|unsupported url|(?:video|track|song|page|user|playlist) not found/i, 'MUSIC_DEAD_LINK'],
  [/HTTP Error 5\d\d|timed out|connection (?:refused|reset)|name or service not known|temporary failure in name resolution|unable to download webpage|network is unreachable|proxy/i, 'MUSIC_SOURCE_UNAVAILABLE'],
];

/**
 * The last `ERROR:` line of yt-dlp's stderr (or its last line), trimmed for logs, with a
 * proxy URL's `user:password@` and other secrets in URLs removed by the logger's `scrubText`.
 */
export function ytDlpErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const error = [...lines].reverse().find((l) => l.startsWith('ERROR:')) ?? lines.at(-1) ?? '';
  return scrubText(error).slice(0, 300);
}

/** Classifies a failed yt-dlp run by its stderr. */
export function ytDlpError(stderr: string, exitCode: number | null): MusicError {
  const line = ytDlpErrorLine(stderr);
  for (const [pattern, code] of RULES) {
    if (pattern.test(line)) return new MusicError(code, `yt-dlp: ${line}`, { service: 'yt-dlp' });
  }
  return new MusicError('MUSIC_DOWNLOAD_FAILED', `yt-dlp exited ${exitCode ?? 'by signal'}: ${line}`, { service: 'yt-dlp' });
}
