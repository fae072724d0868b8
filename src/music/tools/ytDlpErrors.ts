/**
 * Turns yt-dlp's `ERROR:` lines into {@link MusicError} codes. yt-dlp has no machine-readable
 * error kinds, so this reads the wording its extractors have used for years; anything not
 * recognised is a plain `MUSIC_DOWNLOAD_FAILED` (and the operator sees the line in the log).
 */
import { MusicError, type MusicErrorCode } from '../errors.ts';

const RULES: readonly [RegExp, MusicErrorCode][] = [
  [/not available in your country|geo[- ]?restrict|blocked it in your (?:country|region)|not made this video available in your country|unavailable in your region/i, 'MUSIC_REGION_BLOCKED'],
  [/live event will begin|premieres in|this live event|is a live stream|live stream recording is not available/i, 'MUSIC_LIVE_STREAM'],
  [/sign in to confirm|confirm your age|age[- ]restricted|login required|requires? (?:a )?(?:login|payment|subscription)|private video|members[- ]only|use --cookies/i, 'MUSIC_SOURCE_REFUSED'],
  [/HTTP Error 40[34]|HTTP Error 410|video unavailable|has been removed|does not exist|no longer available|account .*terminated|unsupported url|not found|no video formats found|requested format is not available/i, 'MUSIC_DEAD_LINK'],
  [/HTTP Error (?:429|5\d\d)|timed out|connection (?:refused|reset)|name or service not known|temporary failure in name resolution|unable to download webpage|network is unreachable|proxy/i, 'MUSIC_SOURCE_UNAVAILABLE'],
];

/**
 * The last `ERROR:` line of yt-dlp's stderr (or its last line), trimmed for logs, with any
 * `user:password@` of a proxy URL removed.
 */
export function ytDlpErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const error = [...lines].reverse().find((l) => l.startsWith('ERROR:')) ?? lines.at(-1) ?? '';
  return error.replace(/\/\/[^/@\s]+@/g, '//[redacted]@').slice(0, 300);
}

/** Classifies a failed yt-dlp run by its stderr. */
export function ytDlpError(stderr: string, exitCode: number | null): MusicError {
  const line = ytDlpErrorLine(stderr);
  for (const [pattern, code] of RULES) {
    if (pattern.test(line)) return new MusicError(code, `yt-dlp: ${line}`, { service: 'yt-dlp' });
  }
  return new MusicError('MUSIC_DOWNLOAD_FAILED', `yt-dlp exited ${exitCode ?? 'by signal'}: ${line}`, { service: 'yt-dlp' });
}
