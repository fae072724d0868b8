/**
 * `/login` is rate-limited per user in the link service (5 started logins per 10 minutes):
 * a sixth is refused with the wait, writes nothing and leaves the pending login usable; the
 * window slides with the clock; other users are not affected.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LoginRateLimitedError } from '../../src/link/errors.ts';
import { LoginRateLimit } from '../../src/link/loginRateLimit.ts';
import { startLinkHarness, TestClock, type LinkHarness } from '../helpers/linkHarness.ts';

const ALICE = 1001;
const BOB = 1002;
const MIN = 60_000;
let h: LinkHarness;

const Limit = suite('login rate limit');

Limit.before.each(async () => {
  h = await startLinkHarness();
});
Limit.after.each(async () => {
  assert.equal(h.spotify.leaksIn(h.logs()), [], 'no secret of the fake reached the logs');
  await h.close();
});

async function refusal(userId: number): Promise<LoginRateLimitedError> {
  try {
    await h.links.startLogin(userId);
  } catch (err) {
    assert.instance(err, LoginRateLimitedError);
    return err as LoginRateLimitedError;
  }
  return assert.unreachable('the login should have been refused') as never;
}

Limit('a sixth /login within 10 minutes is refused with the wait; nothing is written', async () => {
  for (let i = 0; i < 5; i++) {
    await h.links.startLogin(ALICE);
    h.clock.advance(1 * MIN);
  }
  const events = (await h.events(ALICE)).length;
  const pending = (await h.links.status(ALICE)).attempt!;
  const err = await refusal(ALICE);
  assert.is(err.code, 'LOGIN_RATE_LIMITED');
  assert.is(err.retryAfterSec, 5 * 60, 'the first login leaves the window 10 minutes after it started');
  assert.is((await h.events(ALICE)).length, events, 'no event for a refused login');
  assert.equal((await h.links.status(ALICE)).attempt, pending, 'the last login button still works');
  assert.is(await h.vault.hasDataKey(pending.keyId), true);

  await h.links.startLogin(BOB); // another user is not limited by Alice's logins
  assert.is((await h.links.status(BOB)).state, 'awaitingCallback.pending');
});

Limit('the window slides: one more login once the oldest is 10 minutes old; refusals do not count', async () => {
  const t0 = h.clock.now();
  for (let i = 0; i < 5; i++) {
    await h.links.startLogin(ALICE);
    h.clock.advance(2 * MIN);
  }
  h.clock.t = t0 + 10 * MIN - 1000;
  assert.is((await refusal(ALICE)).retryAfterSec, 1);
  await refusal(ALICE);
  h.clock.t = t0 + 10 * MIN;
  await h.links.startLogin(ALICE); // the login at t0 left the window; the refusals were not counted
  assert.is((await refusal(ALICE)).retryAfterSec, 2 * 60, 'next: when the login at t0 + 2 min leaves');
});

Limit('concurrent /login taps cannot slip past the limit', async () => {
  const results = await Promise.allSettled(Array.from({ length: 12 }, () => h.links.startLogin(ALICE)));
  assert.is(results.filter((r) => r.status === 'fulfilled').length, 5);
  for (const r of results) if (r.status === 'rejected') assert.instance(r.reason, LoginRateLimitedError);
  assert.is((await h.events(ALICE)).length, 5);
});

Limit('memory stays bounded: users whose window passed are forgotten', () => {
  const clock = new TestClock();
  const limit = new LoginRateLimit({ max: 5, windowMs: 10 * MIN }, clock.now);
  for (let user = 0; user < 1000; user++) assert.is(limit.take(user), 0);
  assert.is(limit.size, 1000);
  clock.advance(10 * MIN);
  assert.is(limit.take(5000), 0);
  assert.is(limit.size, 1, 'only the user inside the window is remembered');
});

Limit.run();
