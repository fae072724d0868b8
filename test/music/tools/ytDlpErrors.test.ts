import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ytDlpError, ytDlpErrorLine } from '../../../src/music/tools/ytDlpErrors.ts';

const Y = suite('yt-dlp error classification');

const cases: [string, string][] = [
  ['ERROR: [youtube] abc: The uploader has not made this video available in your country', 'MUSIC_REGION_BLOCKED'],
  ['ERROR: [youtube] abc: Video unavailable. This video is not available in your country', 'MUSIC_REGION_BLOCKED'],
  ['ERROR: [youtube] abc: This live event will begin in 3 hours.', 'MUSIC_LIVE_STREAM'],
  ['ERROR: [youtube] abc: Sign in to confirm you’re not a bot. Use --cookies-from-browser or --cookies', 'MUSIC_SOURCE_REFUSED'],
  ['ERROR: [youtube] abc: Sign in to confirm your age. This video may be inappropriate for some users.', 'MUSIC_SOURCE_REFUSED'],
  ['ERROR: [youtube] abc: Private video. Sign in if you\'ve been granted access to this video', 'MUSIC_SOURCE_REFUSED'],
  ['ERROR: [youtube] abc: Video unavailable', 'MUSIC_DEAD_LINK'],
  ['ERROR: [generic] Unable to download webpage: HTTP Error 404: Not Found (caused by <HTTPError 404: Not Found>)', 'MUSIC_DEAD_LINK'],
  ['ERROR: Unsupported URL: http://127.0.0.1:1/nothing', 'MUSIC_DEAD_LINK'],
  ['ERROR: [soundcloud] x: Unable to download JSON metadata: HTTP Error 503: Service Unavailable', 'MUSIC_SOURCE_UNAVAILABLE'],
  ['ERROR: [youtube] abc: Unable to download webpage: <urlopen error [Errno -3] Temporary failure in name resolution>', 'MUSIC_SOURCE_UNAVAILABLE'],
  ['ERROR: [youtube] abc: HTTP Error 429: Too Many Requests', 'MUSIC_SOURCE_UNAVAILABLE'],
  ['ERROR: something nobody has seen before', 'MUSIC_DOWNLOAD_FAILED'],
];

Y('each known wording maps to the message the user should get', () => {
  for (const [line, code] of cases) assert.is(ytDlpError(`WARNING: noise\n${line}\n`, 1).code, code, line);
});

Y('the last ERROR line is the one reported, trimmed', () => {
  assert.is(ytDlpErrorLine('ERROR: first\n[info] x\nERROR: second\n'), 'ERROR: second');
  assert.is(ytDlpErrorLine(`ERROR: ${'x'.repeat(1000)}`).length, 300);
  assert.is(ytDlpErrorLine('ERROR: Unable to connect to proxy socks5://bob:hunter2@10.0.0.1:1080'), 'ERROR: Unable to connect to proxy socks5://[redacted]@10.0.0.1:1080');
});

Y.run();
