/**
 * `/now` and the ⬇️ Download button end to end (fake Bot API, fake Spotify, real link service).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MusicPort } from '../../src/bot/musicChat/musicPort.ts';
import { EPISODE, TRACK_WITH_ISRC, TRACK_WITHOUT_ISRC } from '../helpers/fakeSpotify.ts';
import { buttonTexts } from '../helpers/fakeBotApi.ts';
import { callbackDatas, startBotHarness, type BotHarness } from './botHarness.ts';

const Now = suite('bot /now');
let h: BotHarness;
const downloads: Array<{ chatId: number | undefined; trackId: string }> = [];
const music: MusicPort = {
  feature: {},
  async downloadSpotifyTrack(ctx, trackId) {
    downloads.push({ chatId: ctx.chat?.id, trackId });
    await ctx.reply('(audio would follow)');
  },
  cachedAudio: async () => undefined, answerInlineSearch: async () => {},
};

Now.before.each(async (context) => {
  downloads.length = 0;
  h = await startBotHarness(context.__test__.includes('no music') ? {} : { music });
});
Now.after.each(async () => {
  await h.close();
});

async function linkedUser(languageCode = 'en') {
  const user = h.fake.createUser({ firstName: 'Alice', languageCode });
  await h.linkThroughBot(user);
  return user;
}

Now('a track: the cover with title, artists, album and a progress bar, plus Download and Open in Spotify', async () => {
  const alice = await linkedUser();
  h.link.spotify.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id, progressMs: 83_000, isPlaying: true });
  h.fake.sendCommand(alice, 'now');
  const photo = await h.replyTo(alice, 'sendPhoto');
  assert.is(photo.params.photo, 'https://i.scdn.test/image/night-drive-640');
  assert.is(photo.params.parse_mode, 'HTML');
  const caption: string = photo.params.caption;
  assert.ok(caption.startsWith('<b>Night Drive</b>\nAurora Lane, Kestrel\nAlbum: Coastal Lights\n'), caption);
  assert.ok(caption.endsWith('\n▰▰▰▰▰▱▱▱▱▱▱▱ 1:23 / 3:35'), caption);
  assert.equal(buttonTexts(photo.result), [['⬇️ Download', 'Open in Spotify']]);
  assert.equal(callbackDatas(photo.result), [`dl:${TRACK_WITH_ISRC.id}`]);

  h.fake.pressButton(alice, photo.result, `dl:${TRACK_WITH_ISRC.id}`);
  const answer = await h.fake.nextCall('answerCallbackQuery');
  assert.is(answer.params.text, 'Getting the track…');
  await h.replyTo(alice);
  assert.equal(downloads, [{ chatId: alice.id, trackId: TRACK_WITH_ISRC.id }]);
});

Now('a paused track says so, in Russian for a Russian user', async () => {
  const olga = await linkedUser('ru');
  h.link.spotify.setPlayer('alice', { kind: 'track', trackId: TRACK_WITHOUT_ISRC.id, progressMs: 10_000, isPlaying: false });
  h.fake.sendCommand(olga, 'now');
  const photo = await h.replyTo(olga, 'sendPhoto');
  assert.match(photo.params.caption, 'Альбом: Demos');
  assert.match(photo.params.caption, '0:10 / 3:07 · на паузе');
  assert.equal(buttonTexts(photo.result), [['⬇️ Скачать', 'Открыть в Spotify']]);
});

Now('an episode: show, cover and progress, with Open in Spotify but no download', async () => {
  const alice = await linkedUser();
  h.link.spotify.setPlayer('alice', { kind: 'episode', episodeId: EPISODE.id, progressMs: 600_000 });
  h.fake.sendCommand(alice, 'now');
  const photo = await h.replyTo(alice, 'sendPhoto');
  assert.match(photo.params.caption, '<b>Episode 42: Why Bots Dream</b>\nPodcast: Machine Talk\nFake Radio\n');
  assert.match(photo.params.caption, '10:00 / 59:00');
  assert.equal(buttonTexts(photo.result), [['Open in Spotify']]);
});

Now('nothing playing (204) says so and shows the last played track with its buttons', async () => {
  const alice = await linkedUser();
  h.link.spotify.setPlayer('alice', { kind: 'nothing' });
  h.link.spotify.setRecentlyPlayed('alice', [{ trackId: TRACK_WITHOUT_ISRC.id, playedAt: h.link.clock.now() - 5 * 60_000 }]);
  h.fake.sendCommand(alice, 'now');
  const reply = await h.replyTo(alice);
  assert.is(reply.params.text, 'Nothing is playing on your Spotify right now.\nLast played: Basement Tapes – Old Demo (Live) (5 minutes ago)');
  assert.equal(callbackDatas(reply.result), [`dl:${TRACK_WITHOUT_ISRC.id}`]);
});

Now('nothing playing and no history: just says nothing plays', async () => {
  const alice = await linkedUser();
  h.fake.sendCommand(alice, 'now');
  assert.is((await h.replyTo(alice)).params.text, 'Nothing is playing on your Spotify right now.');
});

Now('an ad and an unknown item are named as such', async () => {
  const alice = await linkedUser();
  h.link.spotify.setPlayer('alice', { kind: 'ad' });
  h.fake.sendCommand(alice, 'now');
  assert.is((await h.replyTo(alice)).params.text, 'An ad is playing on your Spotify.');
  h.link.spotify.setPlayer('alice', { kind: 'unknown' });
  h.fake.sendCommand(alice, 'now');
  assert.is((await h.replyTo(alice)).params.text, "Spotify is playing something I can't show.");
});

Now('a Spotify account off the app’s user list is told what the operator must do', async () => {
  const alice = await linkedUser();
  h.link.spotify.setRegistered('alice', false);
  h.fake.sendCommand(alice, 'now');
  const text: string = (await h.replyTo(alice)).params.text;
  assert.match(text, 'not on this bot');
  assert.match(text, 'User Management');
  assert.match(text, '5 users');
});

Now('a rate limit and an outage become "try again in N s"', async () => {
  const alice = await linkedUser();
  h.link.spotify.fail('currently-playing', { kind: 'rate-limited', retryAfterSec: 7 });
  h.fake.sendCommand(alice, 'now');
  assert.is((await h.replyTo(alice)).params.text, 'Spotify is busy right now. Try again in 7 s.');
  h.link.spotify.fail('currently-playing', { kind: 'server-error', status: 503 });
  h.fake.sendCommand(alice, 'now');
  assert.is((await h.replyTo(alice)).params.text, 'Spotify is busy right now. Try again in 30 s.');
});

Now('a user without a link gets a Connect button that opens /login', async () => {
  const bob = h.fake.createUser();
  h.fake.sendCommand(bob, 'now');
  const reply = await h.replyTo(bob);
  assert.is(reply.params.text, 'Connect your Spotify account first.');
  assert.equal(callbackDatas(reply.result), ['lg:go']);
  h.fake.pressButton(bob, reply.result, 'lg:go');
  await h.fake.nextCall('answerCallbackQuery');
  assert.equal(buttonTexts((await h.replyTo(bob)).result), [['Connect Spotify']]);
});

Now('with no music pipeline the Download button says downloads are unavailable', async () => {
  const alice = await linkedUser();
  h.link.spotify.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id });
  h.fake.sendCommand(alice, 'now');
  const photo = await h.replyTo(alice, 'sendPhoto');
  h.fake.pressButton(alice, photo.result, `dl:${TRACK_WITH_ISRC.id}`);
  const answer = await h.fake.nextCall('answerCallbackQuery');
  assert.is(answer.params.text, 'Downloads are not available on this bot.');
});

Now('a cover Telegram cannot fetch falls back to a text message', async () => {
  const alice = await linkedUser();
  h.fake.failNext('sendPhoto', { kind: 'error', status: 400, description: 'Bad Request: wrong file identifier/HTTP URL specified' });
  h.link.spotify.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id, progressMs: 0 });
  h.fake.sendCommand(alice, 'now');
  const reply = await h.replyTo(alice);
  assert.ok(reply.params.text.startsWith('<b>Night Drive</b>'));
  assert.equal(buttonTexts(reply.result), [['⬇️ Download', 'Open in Spotify']]);
});

Now.run();
