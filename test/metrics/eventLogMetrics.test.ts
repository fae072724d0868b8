import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { levelCheckpoints, watchEventLog } from '../../src/metrics/eventLogMetrics.ts';
import { createMetrics, type Metrics } from '../../src/metrics/metrics.ts';
import { linkProjections } from '../../src/link/projections.ts';
import { startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';
import { parsePromText, sample, type PromSample } from '../helpers/promText.ts';

const LinkMetrics = suite('link metrics from the event log');

let h: LinkHarness;
let metrics: Metrics;
let unwatch: () => void;

LinkMetrics.before.each(async () => {
  h = await startLinkHarness();
  metrics = createMetrics({ processMetrics: false });
  unwatch = watchEventLog(h.store, metrics, linkProjections.map((p) => p.name), levelCheckpoints(h.store));
});
LinkMetrics.after.each(async () => {
  unwatch();
  await h.close();
});

const scrape = async (): Promise<PromSample[]> => parsePromText(await metrics.render());

LinkMetrics('a completed link counts one login started and one completed, and every append and event', async () => {
  await h.link(1);
  const s = await scrape();
  assert.is(sample(s, 'musicbot_logins_started_total'), 1);
  assert.is(sample(s, 'musicbot_logins_completed_total'), 1);
  assert.is(sample(s, 'musicbot_logins_rejected_total'), 0);
  assert.is(sample(s, 'musicbot_eventlog_events_total'), h.store.headPosition() + 1);
  assert.is(sample(s, 'musicbot_eventlog_events_total', { type: 'GrantReceived' }), 1);
  assert.ok(sample(s, 'musicbot_eventlog_appends_total') >= 3);
  assert.is(sample(s, 'musicbot_eventlog_head_position'), h.store.headPosition());
});

LinkMetrics('logins that end without a link are counted by reason: foreign user, denied, expired', async () => {
  const completionId = await h.loginThroughCallback(2);
  await h.links.confirm(3, completionId); // someone else opens the completion link
  h.spotify.setLoginOutcome({ deny: true });
  const { authorizeUrl } = await h.links.startLogin(4);
  const redirect = await h.spotify.login(authorizeUrl);
  await h.links.handleCallback({ state: redirect.state!, error: redirect.error! }, { correlationId: 'test' });
  await h.links.startLogin(5);
  h.clock.advance(11 * 60_000);
  await h.links.sweep();
  const s = await scrape();
  assert.is(sample(s, 'musicbot_logins_started_total'), 3);
  assert.is(sample(s, 'musicbot_logins_completed_total'), 0);
  assert.is(sample(s, 'musicbot_logins_rejected_total', { reason: 'foreign_user' }), 1);
  assert.is(sample(s, 'musicbot_logins_rejected_total', { reason: 'denied' }), 1);
  assert.is(sample(s, 'musicbot_logins_rejected_total', { reason: 'expired' }), 1);
});

LinkMetrics('refreshes, refresh failures by reason, revocations and unlinks move their counters', async () => {
  await h.link(1);
  await h.link(2);
  h.clock.advance(3600_000);
  await h.links.accessToken(1);
  h.clock.advance(3600_000);
  h.spotify.fail('token', { kind: 'server-error' }, { times: 10 });
  await h.links.accessToken(1).catch(() => undefined);
  h.spotify.clearFailures();
  h.spotify.revokeRefreshTokens();
  await h.links.accessToken(2).catch(() => undefined);
  await h.links.unlink(1);
  const s = await scrape();
  assert.is(sample(s, 'musicbot_token_refreshes_total', { outcome: 'refreshed' }), 1);
  assert.is(sample(s, 'musicbot_token_refreshes_total', { outcome: 'failed' }), 1);
  assert.is(sample(s, 'musicbot_token_refresh_failures_total', { reason: 'unavailable' }), 1);
  assert.is(sample(s, 'musicbot_token_refreshes_total', { outcome: 'revoked' }), 1);
  assert.is(sample(s, 'musicbot_revocations_total', { reason: 'invalidGrant' }), 1);
  assert.is(sample(s, 'musicbot_unlinks_total'), 1);
});

LinkMetrics('projection lag is 0 for every link table: projections are written with the events', async () => {
  await h.link(1);
  const s = await scrape();
  for (const { name } of linkProjections) {
    assert.is(sample(s, 'musicbot_eventlog_projection_lag_events', { projection: name }), 0, name);
  }
  assert.is(s.filter((x) => x.name === 'musicbot_eventlog_projection_lag_events').length, linkProjections.length);
});

LinkMetrics('no label carries a user id, a state or a token', async () => {
  await h.link(424242);
  const text = await metrics.render();
  assert.not.ok(text.includes('424242'));
  assert.equal(h.spotify.leaksIn(text), []);
});

LinkMetrics.run();
