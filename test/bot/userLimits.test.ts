/**
 * Expensive work is limited per user (issue 11, item 2), counted at the fake Spotify: the
 * Spotify-reading commands (`/now`, `/recent` and its pages) share a budget per minute and
 * the next one gets a clear "try again in N s" without a Spotify call; an inline query
 * repeated within a few seconds reuses the last reads instead of asking Spotify again.
 */
import type { User } from 'grammy/types';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UserRateLimit } from '../../src/bot/userRateLimit.ts';
import { TRACK_WITH_ISRC, TRACK_WITHOUT_ISRC } from '../helpers/fakeSpotify.ts';
import { TestClock } from '../helpers/linkHarness.ts';
import { startBotHarness, type BotHarness } from './botHarness.ts';

const Limits = suite('per-user limits on Spotify reads');
let h: BotHarness | undefined;

Limits.after.each(async () => {
  await h?.close();
  h = undefined;
});

const spotifyReads = (harness: BotHarness) => harness.link.spotify.count('currently-playing') + harness.link.spotify.count('recently-played');

async function linkedUser(harness: BotHarness, languageCode: string): Promise<User> {
  const user = harness.fake.createUser({ firstName: 'Alice', languageCode });
  await harness.linkThroughBot(user);
  harness.link.spotify.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id, progressMs: 1000 });
  harness.link.spotify.setRecentlyPlayed('alice', [{ trackId: TRACK_WITHOUT_ISRC.id, playedAt: harness.link.clock.now() - 60_000 }]);
  return user;
}

Limits('the 4th Spotify command within a minute (limit 3) is told when to try again and asks Spotify nothing', async () => {
  h = await startBotHarness({ options: { userLimits: { spotifyPerMinute: 3 } } });
  const olga = await linkedUser(h, 'ru');
  const other = h.fake.createUser();
  for (let i = 0; i < 3; i++) {
    h.fake.sendCommand(olga, 'now');
    await h.replyTo(olga, 'sendPhoto');
  }
  const before = spotifyReads(h);
  h.link.clock.advance(15_000);
  h.fake.sendCommand(olga, 'now');
  assert.is((await h.replyTo(olga)).params.text, 'Вы очень часто запрашивали свою музыку у Spotify в эту минуту. Попробуйте через 45 с.');
  h.fake.sendCommand(olga, 'recent');
  assert.match((await h.replyTo(olga)).params.text, 'Попробуйте через 45 с.', '/recent shares the budget');
  assert.is(spotifyReads(h), before, 'no Spotify call over the limit');

  h.fake.sendCommand(other, 'now');
  assert.is((await h.replyTo(other)).params.text, 'Connect your Spotify account first.', 'another user is not limited by it');

  h.link.clock.advance(45_000);
  h.fake.sendCommand(olga, 'now');
  await h.replyTo(olga, 'sendPhoto');
  assert.ok(spotifyReads(h) > before, 'a minute later Spotify is asked again');
});

Limits('a /recent page button over the limit answers with an alert and leaves the page as it is', async () => {
  h = await startBotHarness({ options: { userLimits: { spotifyPerMinute: 1 } } });
  const alice = await linkedUser(h, 'en');
  const plays = Array.from({ length: 12 }, (_, i) => ({
    trackId: h!.link.spotify.addTrack({ name: `Song ${i + 1}`, artists: [`Band ${i + 1}`] }).id,
    playedAt: h!.link.clock.now() - (i + 1) * 60_000,
  }));
  h.link.spotify.setRecentlyPlayed('alice', plays);
  h.fake.sendCommand(alice, 'recent');
  const page = await h.replyTo(alice);
  const before = spotifyReads(h);
  h.fake.pressButton(alice, page.result, `rc:1:${alice.id}`);
  const answer = await h.fake.nextCall('answerCallbackQuery');
  assert.is(answer.params.text, 'You asked Spotify for your music many times this minute. Try again in 60 s.');
  assert.is(answer.params.show_alert, true);
  assert.is(spotifyReads(h), before);
  assert.equal(h.fake.callsOf('editMessageText'), []);
});

Limits('the same inline query again within 5 s reuses the last reads; after 5 s Spotify is asked again', async () => {
  h = await startBotHarness();
  const alice = await linkedUser(h, 'en');
  h.fake.inlineQuery(alice, '');
  const first = await h.fake.nextCall('answerInlineQuery');
  const afterFirst = spotifyReads(h);
  assert.is(afterFirst, 2, 'one query: the current and the recent plays');

  h.link.clock.advance(3_000);
  h.fake.inlineQuery(alice, '');
  const second = await h.fake.nextCall('answerInlineQuery');
  assert.equal(second.params.results, first.params.results, 'the same answer');
  h.fake.inlineQuery(alice, 'night');
  const filtered = await h.fake.nextCall('answerInlineQuery');
  assert.is((filtered.params.results as unknown[]).length, 1, 'a narrower query filters the same reads');
  assert.is(spotifyReads(h), afterFirst, 'no Spotify call for the repeated queries');

  h.link.clock.advance(2_000);
  h.fake.inlineQuery(alice, '');
  await h.fake.nextCall('answerInlineQuery');
  assert.is(spotifyReads(h), afterFirst + 2, 'after the window the reads are fresh');
});

Limits('the rate limit forgets the least recently seen users beyond its capacity', () => {
  const clock = new TestClock();
  const limit = new UserRateLimit(1, 60_000, clock.now, 100);
  for (let user = 0; user < 1000; user++) assert.is(limit.take(user), 0);
  assert.is(limit.users, 100);
  assert.is(limit.take(999), 60_000, 'a recent user is still limited');
  assert.is(limit.peek(999), 60_000, 'peek tells the wait…');
  clock.advance(60_000);
  assert.is(limit.peek(999), 0);
  assert.is(limit.peek(999), 0, '…and counts nothing');
  assert.is(limit.take(999), 0);
});

Limits.run();
