import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Logger } from 'pino';
import { MusicError } from '../../src/music/errors.ts';
import { SourceTroubleLog } from '../../src/music/sourceTrouble.ts';
import type { SourceTroubleKind } from '../../src/metrics/musicMetrics.ts';
import { noMusicMetrics } from '../../src/metrics/musicMetrics.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';

const T = suite('source trouble warnings');

function setup() {
  const log = createMemoryLogger('debug');
  const counted: SourceTroubleKind[] = [];
  let now = 0;
  const trouble = new SourceTroubleLog({ logger: log.logger as Logger, metrics: { ...noMusicMetrics, sourceTrouble: (k) => void counted.push(k) }, now: () => now });
  const warnings = () => log.records().filter((r) => r.level === 40);
  return { trouble, counted, warnings, advance: (ms: number) => (now += ms) };
}

const throttled = () => new MusicError('MUSIC_SOURCE_THROTTLED', "yt-dlp: ERROR: [youtube] x: This content isn't available, try again later.", { service: 'yt-dlp' });
const broken = () => new MusicError('MUSIC_SOURCE_BROKEN', 'yt-dlp: ERROR: unable to download video data: HTTP Error 403: Forbidden', { service: 'yt-dlp' });

T('one warning per kind per 10 minutes; every occurrence counted', () => {
  const { trouble, counted, warnings, advance } = setup();
  for (let i = 0; i < 5; i += 1) trouble.notice(throttled());
  trouble.notice(broken());
  assert.is(warnings().length, 2);
  assert.equal(warnings().map((w) => w.kind), ['throttled', 'broken']);
  assert.match(String(warnings()[1]!.advice), 'update yt-dlp');
  advance(9 * 60_000);
  trouble.notice(throttled());
  assert.is(warnings().length, 2, 'still quiet');
  advance(60_000);
  trouble.notice(throttled());
  assert.is(warnings().length, 3, 'warned again after 10 minutes');
  assert.is(warnings()[2]!.alsoSince, 5, 'says how many were not warned about');
  assert.is(counted.length, 8);
});

T('the same error seen twice is counted once; other errors are ignored', () => {
  const { trouble, counted, warnings } = setup();
  const err = throttled();
  trouble.notice(err);
  trouble.notice(err);
  trouble.notice(new MusicError('MUSIC_DEAD_LINK', 'gone'));
  trouble.notice(new Error('bug'));
  assert.is(counted.length, 1);
  assert.is(warnings().length, 1);
});

T.run();
