/**
 * Formatting helpers: durations, the progress bar, clipping and HTML escaping of what
 * Spotify sends.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { clip, escapeHtml, formatDuration, progressBar, trackLine } from '../../src/bot/format.ts';
import { trackCard } from '../../src/bot/nowCard.ts';
import { t } from '../../src/i18n/translate.ts';
import type { TrackSummary } from '../../src/spotify/webApiClient.ts';

const Format = suite('bot formatting');

Format('durations read m:ss, and h:mm:ss from an hour on', () => {
  assert.equal([0, 999, 61_000, 215_000, 3_540_000, 3_600_000, 3_725_000, -5, Number.NaN].map(formatDuration), [
    '0:00', '0:00', '1:01', '3:35', '59:00', '1:00:00', '1:02:05', '0:00', '0:00',
  ]);
});

Format('the progress bar fills in proportion and clamps', () => {
  assert.is(progressBar(0, 200_000), '▱▱▱▱▱▱▱▱▱▱▱▱ 0:00 / 3:20');
  assert.is(progressBar(100_000, 200_000), '▰▰▰▰▰▰▱▱▱▱▱▱ 1:40 / 3:20');
  assert.is(progressBar(999_999, 200_000), '▰▰▰▰▰▰▰▰▰▰▰▰ 3:20 / 3:20');
  assert.is(progressBar(undefined, 0), '▱▱▱▱▱▱▱▱▱▱▱▱ 0:00 / 0:00');
});

Format('clipping counts characters, not UTF-16 units, and marks the cut', () => {
  assert.is(clip('short', 10), 'short');
  assert.is(clip('abcdefghij', 5), 'abcd…');
  assert.is(clip('🎵🎵🎵🎵', 3), '🎵🎵…');
});

Format('titles with markup are escaped in HTML cards', () => {
  assert.is(escapeHtml('<b>Tom & Jerry</b>'), '&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;');
  const track: TrackSummary = {
    id: 'x', title: '<script>&', artists: ['A<B'], album: 'Best & Worst', releaseDate: undefined, durationMs: 60_000,
    isrc: undefined, coverUrl: undefined, spotifyUrl: undefined, uri: undefined, explicit: false, isLocal: false,
  };
  const card = trackCard((k, a) => t('en', k, a), track, 30_000, true);
  assert.is(card, '<b>&lt;script&gt;&amp;</b>\nA&lt;B\nAlbum: Best &amp; Worst\n▰▰▰▰▰▰▱▱▱▱▱▱ 0:30 / 1:00');
  assert.is(trackLine({ artists: [], title: 'Solo' }), 'Solo');
});

Format('a huge title cannot push a caption past 1024 characters', () => {
  const long = 'x'.repeat(5000);
  const track: TrackSummary = {
    id: 'x', title: long, artists: [long, long], album: long, releaseDate: undefined, durationMs: 1,
    isrc: undefined, coverUrl: undefined, spotifyUrl: undefined, uri: undefined, explicit: false, isLocal: false,
  };
  assert.ok(trackCard((k, a) => t('ru', k, a), track, 0, false).length < 1024);
});

Format.run();
