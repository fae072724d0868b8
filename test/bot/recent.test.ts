/**
 * `/recent` end to end: ten plays per page, paging with buttons up to 50, a ⬇️ per track,
 * and buttons that refuse strangers and forged pages.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FakePlay } from '../helpers/fakeSpotify.ts';
import { buttonTexts } from '../helpers/fakeBotApi.ts';
import { callbackDatas, startBotHarness, type BotHarness } from './botHarness.ts';

const Recent = suite('bot /recent');
let h: BotHarness;

Recent.before.each(async () => {
  h = await startBotHarness();
});
Recent.after.each(async () => {
  await h.close();
});

/** `n` plays of distinct tracks, one a minute, the newest a minute ago. */
function history(n: number): FakePlay[] {
  return Array.from({ length: n }, (_, i) => {
    const track = h.link.spotify.addTrack({ name: `Song ${i + 1}`, artists: [`Band ${i + 1}`] });
    return { trackId: track.id, playedAt: h.link.clock.now() - (i + 1) * 60_000 };
  });
}

Recent('ten tracks per page with times, a download button each, paged up to 50', async () => {
  const alice = h.fake.createUser();
  await h.linkThroughBot(alice);
  const plays = history(55);
  h.link.spotify.setRecentlyPlayed('alice', plays);
  h.fake.sendCommand(alice, 'recent');
  const first = await h.replyTo(alice);
  const lines: string[] = first.params.text.split('\n');
  assert.is(lines[0], '<b>Recently played, page 1 of 5</b>');
  assert.is(lines[2], '1. Band 1 – Song 1 · 1 minute ago');
  assert.is(lines[11], '10. Band 10 – Song 10 · 10 minutes ago');
  assert.is(lines.length, 12);
  const datas = callbackDatas(first.result);
  assert.equal(datas.slice(0, 10), plays.slice(0, 10).map((p) => `dl:${p.trackId}`));
  assert.equal(datas.slice(10), [`rc:1:${alice.id}`]);
  assert.equal(buttonTexts(first.result).at(-1), ['Older ▶️']);

  h.fake.pressButton(alice, first.result, `rc:1:${alice.id}`);
  await h.fake.nextCall('answerCallbackQuery');
  const second = await h.fake.nextCall('editMessageText');
  assert.match(second.params.text, 'page 2 of 5');
  assert.match(second.params.text, '11. Band 11 – Song 11');
  assert.equal(callbackDatas(second.result).slice(10), [`rc:0:${alice.id}`, `rc:2:${alice.id}`]);

  // Jump to the last page as a client holding an older keyboard would.
  h.fake.pressButton(alice, second.result, `rc:4:${alice.id}`, { forge: true });
  await h.fake.nextCall('answerCallbackQuery');
  const fifth = await h.fake.nextCall('editMessageText');
  assert.match(fifth.params.text, 'page 5 of 5');
  assert.match(fifth.params.text, '50. Band 50 – Song 50 · 50 minutes ago');
  assert.not.match(fifth.params.text, 'Song 51');
  assert.equal(buttonTexts(fifth.result).at(-1), ['◀️ Newer']);
});

Recent('someone else’s page button and a forged one are refused politely', async () => {
  const alice = h.fake.createUser();
  const bob = h.fake.createUser();
  await h.linkThroughBot(alice);
  h.link.spotify.setRecentlyPlayed('alice', history(12));
  h.fake.sendCommand(alice, 'recent');
  const page = await h.replyTo(alice);
  h.fake.pressButton(bob, page.result, `rc:1:${alice.id}`);
  assert.is((await h.fake.nextCall('answerCallbackQuery')).params.text, "These buttons belong to someone else's message.");
  for (const forged of ['rc:9:1', 'rc:1:abc', 'dl:not/an id', 'xx:1', 'rc7:1:2']) {
    h.fake.pressButton(alice, page.result, forged, { forge: true });
    assert.is((await h.fake.nextCall('answerCallbackQuery')).params.text, 'This button is out of date. Please send the command again.', forged);
  }
  assert.is(h.fake.callsOf('editMessageText').length, 0);
});

Recent('an empty history says so; a user without a link is asked to connect', async () => {
  const alice = h.fake.createUser();
  await h.linkThroughBot(alice);
  h.fake.sendCommand(alice, 'recent');
  assert.is((await h.replyTo(alice)).params.text, 'Spotify has no recently played tracks for you yet.');
  const bob = h.fake.createUser({ languageCode: 'ru' });
  h.fake.sendCommand(bob, 'recent');
  const reply = await h.replyTo(bob);
  assert.is(reply.params.text, 'Сначала подключите свой аккаунт Spotify.');
  assert.equal(buttonTexts(reply.result), [['Подключить Spotify']]);
});

Recent.run();
