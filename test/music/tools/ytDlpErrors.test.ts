import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ytDlpError, ytDlpErrorLine } from '../../../src/music/tools/ytDlpErrors.ts';

const Y = suite('yt-dlp error classification');

/**
 * Real lines. Sources: yt-dlp 2023.03.04 (/usr/lib/python3/dist-packages/yt_dlp) and 2026.08.19
 * (github.com/yt-dlp/yt-dlp): `YoutubeDL.py` ("unable to download video data: …", "Requested
 * format is not available…", "No video formats found!"), `extractor/youtube/_video.py`
 * (playability reasons, the 2026 rate-limit text, the captcha note), `extractor/common.py`
 * (`raise_geo_restricted`), the generic extractor's HTTP errors; yt-dlp #17456 (Aug 2026) for
 * the 403 and format lines of a broken player client.
 */
const cases: [string, string][] = [
  ['ERROR: [youtube] abc: The uploader has not made this video available in your country', 'MUSIC_REGION_BLOCKED'],
  ['ERROR: [youtube] abc: Video unavailable. This video is not available in your country', 'MUSIC_REGION_BLOCKED'],
  ['ERROR: [soundcloud] 123: This video is not available from your location due to geo restriction', 'MUSIC_REGION_BLOCKED'],
  ['ERROR: [generic] Unable to download webpage: HTTP Error 451: Unavailable For Legal Reasons (caused by <HTTPError 451: Unavailable For Legal Reasons>)', 'MUSIC_REGION_BLOCKED'],
  ['ERROR: [youtube] abc: This live event will begin in 3 hours.', 'MUSIC_LIVE_STREAM'],
  ['ERROR: [youtube] abc: Sign in to confirm you’re not a bot. Use --cookies-from-browser or --cookies', 'MUSIC_SOURCE_REFUSED'],
  ['ERROR: [youtube] abc: Sign in to confirm your age. This video may be inappropriate for some users.', 'MUSIC_SOURCE_REFUSED'],
  ['ERROR: [youtube] abc: Private video. Sign in if you\'ve been granted access to this video', 'MUSIC_SOURCE_REFUSED'],
  ['ERROR: [youtube] abc: Video unavailable', 'MUSIC_DEAD_LINK'],
  ['ERROR: [youtube] abc: Video unavailable. This video has been removed by the uploader', 'MUSIC_DEAD_LINK'],
  ['ERROR: [youtube] abc: Video unavailable. This video is no longer available because the YouTube account associated with this video has been terminated.', 'MUSIC_DEAD_LINK'],
  ['ERROR: [generic] Unable to download webpage: HTTP Error 404: Not Found (caused by <HTTPError 404: Not Found>)', 'MUSIC_DEAD_LINK'],
  ['ERROR: [generic] Unable to download webpage: HTTP Error 410: Gone (caused by <HTTPError 410: Gone>)', 'MUSIC_DEAD_LINK'],
  ['ERROR: Unsupported URL: http://127.0.0.1:1/nothing', 'MUSIC_DEAD_LINK'],
  // The source refuses right now: not a dead link.
  ['ERROR: unable to download video data: HTTP Error 403: Forbidden', 'MUSIC_SOURCE_BROKEN'],
  ['ERROR: [youtube] abc: Requested format is not available. Use --list-formats for a list of available formats', 'MUSIC_SOURCE_BROKEN'],
  ['ERROR: [youtube] abc: No video formats found!; please report this issue on  https://github.com/yt-dlp/yt-dlp/issues?q= , filling out the appropriate issue template.', 'MUSIC_SOURCE_BROKEN'],
  ["ERROR: [youtube] abc: Video unavailable. This content isn't available, try again later. The current session has been rate-limited by YouTube for up to an hour. It is recommended to use `-t sleep` to add a delay between video requests to avoid exceeding the rate limit.", 'MUSIC_SOURCE_THROTTLED'],
  ['ERROR: [youtube] abc: Please sign in. YouTube is requiring a captcha challenge before playback', 'MUSIC_SOURCE_THROTTLED'],
  ['ERROR: [youtube] abc: HTTP Error 429: Too Many Requests', 'MUSIC_SOURCE_THROTTLED'],
  ['ERROR: [soundcloud] x: Unable to download JSON metadata: HTTP Error 503: Service Unavailable', 'MUSIC_SOURCE_UNAVAILABLE'],
  ['ERROR: [youtube] abc: Unable to download webpage: <urlopen error [Errno -3] Temporary failure in name resolution>', 'MUSIC_SOURCE_UNAVAILABLE'],
  ['ERROR: something nobody has seen before', 'MUSIC_DOWNLOAD_FAILED'],
];

Y('each known wording maps to the message the user should get', () => {
  for (const [line, code] of cases) assert.is(ytDlpError(`WARNING: noise\n${line}\n`, 1).code, code, line);
});

Y('a refusal "right now" may be retried; a dead link may not', () => {
  assert.ok(ytDlpError('ERROR: unable to download video data: HTTP Error 403: Forbidden', 1).retryable);
  assert.ok(ytDlpError("ERROR: [youtube] abc: This content isn't available, try again later.", 1).retryable);
  assert.not.ok(ytDlpError('ERROR: [youtube] abc: Video unavailable', 1).retryable);
});

Y('the last ERROR line is the one reported, trimmed', () => {
  assert.is(ytDlpErrorLine('ERROR: first\n[info] x\nERROR: second\n'), 'ERROR: second');
  assert.is(ytDlpErrorLine(`ERROR: ${'x'.repeat(1000)}`).length, 300);
  assert.is(ytDlpErrorLine('ERROR: Unable to connect to proxy socks5://bob:hunter2@10.0.0.1:1080'), 'ERROR: Unable to connect to proxy socks5://[redacted]@10.0.0.1:1080');
});

Y.run();
