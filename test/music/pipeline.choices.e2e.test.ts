/**
 * Requests that need the user's choice or another hop, through the bot: an unsure match
 * offers the top three candidates as buttons, an album offers its first tracks, a share
 * link is followed, and an optional Odesli service only ever helps. Downloads are instant
 * stand-ins here (the real ones have their own tests).
 */
import type { Bot } from 'grammy';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BotContext } from '../../src/bot/context.ts';
import type { MusicPort } from '../../src/bot/musicChat/musicPort.ts';
import { InstantDownloader } from '../helpers/fakeDownloader.ts';
import { startFakeMusicSources } from '../helpers/fakeMusicSources.ts';
import { startFakeSpotify } from '../helpers/fakeSpotify.ts';
import { candidate, unlinkedWebApi } from '../helpers/musicFixtures.ts';
import { startMusicHarness, type MusicHarness, type MusicHarnessOptions } from '../helpers/musicHarness.ts';

const Choices = suite('choices, albums, share links, Odesli');

async function withHarness(o: MusicHarnessOptions, body: (h: MusicHarness, d: InstantDownloader) => Promise<void>): Promise<void> {
  const downloader = new InstantDownloader();
  const h = await startMusicHarness({ ...o, service: { downloader, ...o.service } });
  try {
    await body(h, downloader);
    await h.service.queue.idle();
    h.fake.assertNoViolations();
  } finally {
    await h.close();
  }
}

type Button = { text: string; callback_data: string };
const buttons = (message: { reply_markup?: { inline_keyboard: Button[][] } }): Button[] => message.reply_markup?.inline_keyboard.flat() ?? [];

Choices('an unsure match offers the top three candidates; a press downloads the chosen one', () =>
  withHarness({}, async (h, downloader) => {
    h.sources.addDeezer({ id: '333', title: 'Lanterns', artists: ['Mira Solen'], seconds: 200 });
    const yt = (id: string) => `https://www.youtube.com/watch?v=${id.repeat(11).slice(0, 11)}`;
    h.search
      .add(candidate('c1', yt('c1'), 'Lanterns', 'Various Uploads', 201, 'youtube'))
      .add(candidate('c2', yt('c2'), 'Mira Solen - Lanterns (Acoustic)', 'Acoustic Sessions', 203, 'youtube'))
      .add(candidate('c3', yt('c3'), 'Lanterns (Lyrics)', 'LyricsWorld', 200, 'youtube'))
      .add(candidate('c4', yt('c4'), 'Lanterns (Live)', 'Mira Solen', 230, 'youtube'));
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://www.deezer.com/track/333');
    await h.nextText(alice.id, /🤔/);
    await h.service.queue.idle();
    const choice = h.fake.lastMessageTo(alice.id)!;
    const offered = buttons(choice as never);
    assert.is(offered.length, 3);
    assert.equal(downloader.requests, [], 'nothing downloaded before the choice');
    assert.equal(offered.map((b) => b.text), ['Lanterns (Lyrics) · LyricsWorld · 3:20', 'Lanterns · Various Uploads · 3:21', 'Mira Solen - Lanterns (Acoustic) · Acoustic Sessions · 3:23']);
    const pick = offered[2]!;
    h.fake.pressButton(alice, choice, pick.callback_data);
    const audio = await h.nextAudio(alice.id);
    assert.is(audio.params.title, 'Lanterns', 'tagged with the original metadata');
    assert.is(downloader.requests[0]?.url, `${h.media.baseUrl}/watch?v=c2c2c2c2c2c`);
    assert.match(String(h.fake.messagesTo(alice.id).find((m) => m.text?.startsWith('🤔'))?.text), 'Mira Solen — Lanterns');
  }));

Choices('an expired choice button says so', () =>
  withHarness({}, async (h) => {
    const alice = h.fake.createUser();
    h.fake.enqueue({ callback_query: { id: 'cq-stale', from: alice, chat_instance: '1', data: 'mu:p:AAAAAAAAAA:0' } });
    const answer = await h.fake.nextCall('answerCallbackQuery');
    assert.match(String(answer.params.text), 'expired');
  }));

Choices('a Deezer album offers its first tracks as buttons; a press sends that track', () =>
  withHarness({}, async (h, downloader) => {
    const tracks = [1, 2, 3].map((n) => ({ id: `40${n}`, title: `Harbour Part ${n}`, artists: ['Mira Solen'], seconds: 100 + n }));
    for (const t of tracks) h.sources.addDeezer(t);
    h.sources.addDeezerAlbum({ id: '4000', title: 'Harbour', tracks });
    h.search.add(candidate('p2', 'https://www.youtube.com/watch?v=p2p2p2p2p2p', 'Harbour Part 2', 'Mira Solen - Topic', 102));
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://www.deezer.com/en/album/4000');
    assert.match(await h.nextText(alice.id, /💿/), 'the first 3 of 3 tracks');
    await h.service.queue.idle();
    const album = h.fake.lastMessageTo(alice.id)!;
    const offered = buttons(album as never);
    assert.equal(offered.map((b) => b.text), ['⬇️ Send all (3)', '1. Mira Solen — Harbour Part 1 · 1:41', '2. Mira Solen — Harbour Part 2 · 1:42', '3. Mira Solen — Harbour Part 3 · 1:43']);
    h.fake.pressButton(alice, album, offered[2]!.callback_data);
    const audio = await h.nextAudio(alice.id);
    assert.is(audio.params.title, 'Harbour Part 2');
    assert.is(downloader.requests.length, 1);
  }));

Choices("a Spotify album lists its tracks through the Web API's app token; a press sends that track", async () => {
  const spotify = await startFakeSpotify();
  try {
    await withHarness({ spotify: unlinkedWebApi(spotify) }, async (h, downloader) => {
      const tracks = [1, 2].map((n) => spotify.addTrack({ name: `Tide ${n}`, artists: ['Kestrel'], album: 'Tides', durationMs: 120_000 + n * 1000, isrc: `QZABC240010${n}` }));
      const album = spotify.addAlbum({ name: 'Tides', trackIds: tracks.map((t) => t.id) });
      h.search.add(candidate('t2', 'https://www.youtube.com/watch?v=t2t2t2t2t2t', 'Tide 2', 'Kestrel - Topic', 122));
      const alice = h.fake.createUser();
      h.fake.sendText(alice, `https://open.spotify.com/album/${album.id}?si=x`);
      assert.match(await h.nextText(alice.id, /💿/), 'Tides');
      await h.service.queue.idle();
      const list = h.fake.lastMessageTo(alice.id)!;
      const offered = buttons(list as never);
      assert.equal(offered.map((b) => b.text).filter((t) => /Tide/.test(t)), ['1. Kestrel — Tide 1 · 2:01', '2. Kestrel — Tide 2 · 2:02']);
      h.fake.pressButton(alice, list, offered.find((b) => /Tide 2/.test(b.text))!.callback_data);
      const audio = await h.nextAudio(alice.id);
      assert.is(audio.params.title, 'Tide 2');
      assert.is(downloader.requests.length, 1);
    });
  } finally {
    await spotify.close();
  }
});

Choices('a spotify.link share link is followed to the track', async () => {
  const spotify = await startFakeSpotify();
  try {
    await withHarness({ spotify: unlinkedWebApi(spotify) }, async (h) => {
      const track = spotify.addTrack({ name: 'Short Way Home', artists: ['Kestrel'], durationMs: 150_000, isrc: 'QZABC2400077' });
      h.sources.addShortLink('spotify.link', 'AbCdEf123', `https://open.spotify.com/track/${track.id}?si=1`);
      h.search.add(candidate('sw', 'https://www.youtube.com/watch?v=swswswswsws', 'Short Way Home', 'Kestrel - Topic', 150));
      const alice = h.fake.createUser();
      h.fake.sendText(alice, 'https://spotify.link/AbCdEf123');
      const audio = await h.nextAudio(alice.id);
      assert.is(audio.params.title, 'Short Way Home');
      assert.match(String(audio.params.caption), `open.spotify.com/track/${track.id}`);
    });
  } finally {
    await spotify.close();
  }
});

Choices('without a Spotify client, a Spotify link is described by its public page', () =>
  withHarness({}, async (h) => {
    h.sources.addSpotifyPage({ id: '0VjIjW4GlUZAMYd2vXMi3b', title: 'Blinding Lights', artists: ['The Weeknd'], album: 'After Hours', seconds: 200 });
    h.search.add(candidate('bl', 'https://www.youtube.com/watch?v=blblblblblb', 'Blinding Lights', 'The Weeknd - Topic', 200));
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'spotify:track:0VjIjW4GlUZAMYd2vXMi3b');
    const audio = await h.nextAudio(alice.id);
    assert.is(audio.params.performer, 'The Weeknd');
  }));

Choices('an Odesli service that fails changes nothing', () =>
  withHarness({ music: { odesli: { apiUrl: 'http://127.0.0.1:9/odesli' } } }, async (h) => {
    h.sources.addDeezer({ id: '555', title: 'Quiet Coast', artists: ['Kestrel'], seconds: 120 });
    h.search.add(candidate('qc', 'https://www.youtube.com/watch?v=qcqcqcqcqcq', 'Quiet Coast', 'Kestrel - Topic', 120));
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://www.deezer.com/track/555');
    const audio = await h.nextAudio(alice.id);
    assert.is(audio.params.title, 'Quiet Coast');
  }));

Choices("Odesli's YouTube link is a candidate when the search finds nothing", async () => {
  const sources = await startFakeMusicSources();
  await withHarness({ music: { odesli: { apiUrl: sources.odesliUrl, apiKey: 'k' } }, sources }, async (h, downloader) => {
    h.sources.addDeezer({ id: '666', title: 'Only On Odesli', artists: ['Kestrel'], seconds: 100 });
    h.sources.setOdesli({
      entityUniqueId: 'DEEZER_SONG::666',
      entitiesByUniqueId: {
        'DEEZER_SONG::666': { title: 'Only On Odesli', artistName: 'Kestrel' },
        'YOUTUBE_VIDEO::ododododod1': { id: 'ododododod1', title: 'Only On Odesli', artistName: 'Kestrel' },
      },
      linksByPlatform: { youtube: { url: 'https://www.youtube.com/watch?v=ododododod1', entityUniqueId: 'YOUTUBE_VIDEO::ododododod1' } },
    });
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://www.deezer.com/track/666');
    await h.nextAudio(alice.id);
    assert.is(downloader.requests[0]?.url, `${h.media.baseUrl}/watch?v=ododododod1`);
    assert.ok(h.sources.requests.some((r) => r.startsWith('/odesli/links?url=https%3A%2F%2Fwww.deezer.com%2Ftrack%2F666')));
  });
  await sources.close();
});

Choices('the ⬇️ Download button of /now and /recent sends the Spotify track into the chat', async () => {
  const spotify = await startFakeSpotify();
  try {
    const extra = (bot: Bot<BotContext>, port: MusicPort) =>
      bot.callbackQuery(/^dl:(.+)$/, async (ctx) => {
        await ctx.answerCallbackQuery();
        await port.downloadSpotifyTrack(ctx, ctx.match[1]!);
      });
    await withHarness({ spotify: unlinkedWebApi(spotify), extra }, async (h) => {
      const track = spotify.addTrack({ name: 'Button Song', artists: ['Kestrel'], durationMs: 90_000, isrc: 'QZABC2400088' });
      h.search.add(candidate('bs', 'https://www.youtube.com/watch?v=bsbsbsbsbsb', 'Button Song', 'Kestrel - Topic', 90));
      const alice = h.fake.createUser();
      const group = h.fake.createGroup();
      // A /now card in a group, as the bot would have sent it.
      const card = await h.bot.api.sendMessage(group.id, 'Now playing: Button Song', { reply_markup: { inline_keyboard: [[{ text: '⬇️', callback_data: `dl:${track.id}` }]] } });
      h.fake.pressButton(alice, card, `dl:${track.id}`);
      const audio = await h.nextAudio(group.id);
      assert.is(audio.params.title, 'Button Song');
      await h.service.queue.idle();
      assert.is(await h.port.cachedAudio(track.id), audio.result.audio.file_id);
    });
  } finally {
    await spotify.close();
  }
});

Choices.run();
