import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { createMetricsRoute, METRICS_PATH } from '../../src/metrics/metricsRoute.ts';
import { noMusicMetrics } from '../../src/metrics/musicMetrics.ts';
import { parsePromText, sample } from '../helpers/promText.ts';

const Metrics = suite('metrics registry');

const scrape = async (m: ReturnType<typeof createMetrics>) => parsePromText(await m.render());

Metrics('the exposition is Prometheus text naming every counter the operator needs, with help and type', async () => {
  const m = createMetrics();
  const text = await m.render();
  for (const name of [
    'telegram_updates_total',
    'logins_started_total',
    'logins_completed_total',
    'logins_rejected_total',
    'token_refreshes_total',
    'token_refresh_failures_total',
    'revocations_total',
    'unlinks_total',
    'spotify_requests_total',
    'downloads_total',
    'music_cache_hits_total',
    'music_cache_misses_total',
    'music_source_trouble_total',
    'eventlog_appends_total',
    'eventlog_events_total',
  ]) {
    assert.match(text, `# TYPE musicbot_${name} counter`);
    assert.match(text, `# HELP musicbot_${name} `);
  }
  assert.match(text, '# TYPE musicbot_music_queue_jobs gauge');
  assert.match(text, 'musicbot_process_resident_memory_bytes', 'process metrics share the prefix');
  assert.is(m.contentType, 'text/plain; version=0.0.4; charset=utf-8');
  parsePromText(text); // every sample line parses
});

Metrics('Spotify calls are counted by endpoint and status, 0 when no response came', async () => {
  const m = createMetrics({ processMetrics: false });
  m.spotifyResponse(200, 'token');
  m.spotifyResponse(200, 'token');
  m.spotifyResponse(403, 'me');
  m.spotifyResponse(0, 'currently-playing');
  const s = await scrape(m);
  assert.is(sample(s, 'musicbot_spotify_requests_total', { endpoint: 'token', status: '200' }), 2);
  assert.is(sample(s, 'musicbot_spotify_requests_total', { endpoint: 'me', status: '403' }), 1);
  assert.is(sample(s, 'musicbot_spotify_requests_total', { status: '0' }), 1);
});

Metrics('music reports keep their labels a closed set, whatever the caller passes', async () => {
  const m = createMetrics({ processMetrics: false });
  m.music.downloadFinished({ outcome: 'sent', seconds: 4.2 });
  m.music.downloadFinished({ outcome: 'failed', code: 'MUSIC_TIMEOUT', seconds: 600 });
  m.music.downloadFinished({ outcome: 'failed', code: 'https://example.com/?token=abc' });
  m.music.downloadFinished({ outcome: 'weird' as never });
  m.music.cacheHit('isrc');
  m.music.cacheHit('key');
  m.music.cacheMiss();
  m.music.sourceTrouble('broken');
  m.music.sourceTrouble('throttled');
  m.music.sourceTrouble('throttled');
  m.music.sourceTrouble('cookie=abc' as never);
  const s = await scrape(m);
  assert.is(sample(s, 'musicbot_downloads_total', { outcome: 'sent' }), 1);
  assert.is(sample(s, 'musicbot_downloads_total', { outcome: 'failed', code: 'MUSIC_TIMEOUT' }), 1);
  assert.is(sample(s, 'musicbot_downloads_total', { outcome: 'failed', code: 'OTHER' }), 1);
  assert.is(sample(s, 'musicbot_downloads_total', { outcome: 'failed' }), 3);
  assert.is(sample(s, 'musicbot_download_duration_seconds_count'), 2);
  assert.is(sample(s, 'musicbot_music_cache_hits_total'), 2);
  assert.is(sample(s, 'musicbot_music_cache_misses_total'), 1);
  assert.is(sample(s, 'musicbot_music_source_trouble_total', { kind: 'throttled' }), 2);
  assert.is(sample(s, 'musicbot_music_source_trouble_total', { kind: 'broken' }), 1);
  assert.is(sample(s, 'musicbot_music_source_trouble_total'), 3, 'an unknown kind is not counted');
  assert.not.ok((await m.render()).includes('example.com'));
});

Metrics('queue depth is the last pushed value, or what the registered reader says at scrape time', async () => {
  const m = createMetrics({ processMetrics: false });
  assert.is(sample(await scrape(m), 'musicbot_music_queue_jobs'), 0);
  m.music.queueDepth({ running: 2, waiting: 5 });
  let s = await scrape(m);
  assert.is(sample(s, 'musicbot_music_queue_jobs', { state: 'running' }), 2);
  assert.is(sample(s, 'musicbot_music_queue_jobs', { state: 'waiting' }), 5);
  let waiting = 1;
  m.watchMusicQueue(() => ({ running: 1, waiting }));
  waiting = 7;
  s = await scrape(m);
  assert.is(sample(s, 'musicbot_music_queue_jobs', { state: 'waiting' }), 7);
});

Metrics('a gauge whose reader throws keeps its last value and the scrape still answers', async () => {
  const m = createMetrics({ processMetrics: false });
  let fail = false;
  m.gauge('flaky', 'throws when told', [], () => {
    if (fail) throw new Error('boom');
    return 4;
  });
  m.gauge('fine', 'works', ['kind'], async () => [[{ kind: 'a' }, 3]]);
  assert.is(sample(await scrape(m), 'musicbot_flaky'), 4);
  fail = true;
  const s = await scrape(m);
  assert.is(sample(s, 'musicbot_flaky'), 4);
  assert.is(sample(s, 'musicbot_fine', { kind: 'a' }), 3);
});

Metrics('two apps in one process keep separate counters', async () => {
  const a = createMetrics({ processMetrics: false });
  const b = createMetrics({ processMetrics: false });
  a.loginsStarted.inc();
  assert.is(sample(await scrape(a), 'musicbot_logins_started_total'), 1);
  assert.is(sample(await scrape(b), 'musicbot_logins_started_total'), 0);
});

Metrics('the /metrics route answers GET with the exposition and logs at debug level', async () => {
  const m = createMetrics({ processMetrics: false });
  m.unlinks.inc();
  const route = createMetricsRoute(m);
  assert.is(route.path, METRICS_PATH);
  assert.equal(route.methods, ['GET']);
  assert.is(route.logLevel, 'debug');
  const res = await route.handle({} as never);
  assert.is(res.status, 200);
  assert.is(res.contentType, m.contentType);
  assert.is(sample(parsePromText(String(res.body)), 'musicbot_unlinks_total'), 1);
});

Metrics('the no-op music metrics accept every report', () => {
  noMusicMetrics.downloadFinished({ outcome: 'sent' });
  noMusicMetrics.cacheHit('key');
  noMusicMetrics.cacheMiss();
  noMusicMetrics.queueDepth({ running: 0, waiting: 0 });
  assert.ok(Object.isFrozen(noMusicMetrics));
});

Metrics.run();
