/**
 * Inline mode end to end: a linked user's current and recent tracks as results (cached audio
 * when the music pipeline knows the track's file_id), always personal and uncached; an
 * unlinked user gets the "Connect Spotify" button that starts /login.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MusicPort } from '../../src/bot/musicChat/musicPort.ts';
import { TRACK_WITH_ISRC, TRACK_WITHOUT_ISRC } from '../helpers/fakeSpotify.ts';
import { startBotHarness, type BotHarness } from './botHarness.ts';

const Inline = suite('bot inline mode');
let h: BotHarness;
/** Words typed after @bot, as the music port's search received them. */
const searched: string[] = [];
const music: MusicPort = {
  feature: {},
  downloadSpotifyTrack: async () => {},
  cachedAudio: async (id) => (id === TRACK_WITHOUT_ISRC.id ? 'CACHED-FILE-ID-1' : undefined),
  answerInlineSearch: async (ctx) => {
    searched.push(ctx.inlineQuery.query);
    await ctx.answerInlineQuery([], { cache_time: 30, is_personal: false });
  },
};

Inline.before.each(async () => {
  h = await startBotHarness({ music });
});
Inline.after.each(async () => {
  await h.close();
});

Inline('a linked user shares what plays now and played recently; a known file_id comes as cached audio', async () => {
  const alice = h.fake.createUser();
  await h.linkThroughBot(alice);
  h.link.spotify.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id, progressMs: 1000 });
  h.link.spotify.setRecentlyPlayed('alice', [
    { trackId: TRACK_WITH_ISRC.id, playedAt: h.link.clock.now() - 60_000 },
    { trackId: TRACK_WITHOUT_ISRC.id, playedAt: h.link.clock.now() - 3 * 3_600_000 },
  ]);
  h.fake.inlineQuery(alice, '');
  const answer = await h.fake.nextCall('answerInlineQuery');
  assert.is(answer.params.is_personal, true);
  assert.is(answer.params.cache_time, 0);
  const results = answer.params.results as Array<Record<string, any>>;
  assert.is(results.length, 2, 'the current track is not repeated among the recent ones');
  assert.is(results[0]!.type, 'article');
  assert.is(results[0]!.title, '▶️ Now playing: Night Drive');
  assert.is(results[0]!.description, 'Aurora Lane, Kestrel');
  assert.match(results[0]!.input_message_content.message_text, '🎵 Aurora Lane, Kestrel – Night Drive\nhttps://open.spotify.com/track/');
  assert.is(results[1]!.type, 'audio');
  assert.is(results[1]!.audio_file_id, 'CACHED-FILE-ID-1');

  h.fake.inlineQuery(alice, 'basement');
  await h.fake.nextCall('answerInlineQuery');
  assert.equal(searched, ['basement'], 'words search music by name instead of filtering the listening');
});

Inline('without the music pipeline, words filter the listening by title and artist', async () => {
  await h.close();
  h = await startBotHarness({});
  const alice = h.fake.createUser();
  await h.linkThroughBot(alice);
  h.link.spotify.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id, progressMs: 1000 });
  h.link.spotify.setRecentlyPlayed('alice', [{ trackId: TRACK_WITHOUT_ISRC.id, playedAt: h.link.clock.now() - 60_000 }]);
  h.fake.inlineQuery(alice, 'basement');
  const filtered = (await h.fake.nextCall('answerInlineQuery')).params.results as Array<Record<string, any>>;
  assert.equal(filtered.length, 1);
  assert.match(filtered[0]!.input_message_content.message_text, TRACK_WITHOUT_ISRC.name);
});

Inline('an unlinked user gets the Connect Spotify button with start_parameter=login', async () => {
  const bob = h.fake.createUser({ languageCode: 'ru' });
  h.fake.inlineQuery(bob, '');
  const answer = await h.fake.nextCall('answerInlineQuery');
  assert.equal(answer.params.results, []);
  assert.equal(answer.params.button, { text: 'Подключить Spotify', start_parameter: 'login' });
  assert.is(answer.params.is_personal, true);
  assert.is(answer.params.cache_time, 0);
});

Inline('when Spotify is busy the user still gets an (empty) answer', async () => {
  const alice = h.fake.createUser();
  await h.linkThroughBot(alice);
  h.link.spotify.fail('currently-playing', { kind: 'rate-limited', retryAfterSec: 3 });
  h.link.spotify.fail('recently-played', { kind: 'server-error' });
  h.fake.inlineQuery(alice, '');
  const answer = await h.fake.nextCall('answerInlineQuery');
  assert.equal(answer.params.results, []);
});

Inline.run();
