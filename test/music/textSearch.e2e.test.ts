/**
 * Finding a song by its name, through the fake Bot API: a private text (or `/search` in a
 * group) asks the fake Deezer and iTunes searches (`test/helpers/fakeMusicSources.ts`, real
 * shapes), the bot lists the matches as buttons, and a tap runs the chosen track's link
 * through the pipeline with the real yt-dlp and ffmpeg on local pages.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startFakeSpotify } from '../helpers/fakeSpotify.ts';
import { candidate, fakeAppToken, unlinkedWebApi } from '../helpers/musicFixtures.ts';
import { withMusicHarness, type MusicHarness } from '../helpers/musicHarness.ts';

const S = suite('text search end to end');

type Button = { text: string; callback_data: string };
const buttons = (message: unknown): Button[] => (message as { reply_markup?: { inline_keyboard: Button[][] } }).reply_markup?.inline_keyboard.flat() ?? [];

/** The list message the bot answered a search with, once it is there. */
async function resultList(h: MusicHarness, chatId: number, pattern: RegExp) {
  await h.nextText(chatId, pattern, 15_000);
  return h.fake.messagesTo(chatId).findLast((m) => pattern.test(m.text ?? ''))!;
}

S('a song name in a private chat lists the merged matches; a tap sends the chosen track as audio', () =>
  withMusicHarness({}, async (h) => {
    h.sources.addDeezer({ id: '9101', title: 'Night Drive', artists: ['Aurora Lane'], album: 'Coastal Lights', seconds: 3, isrc: 'QZABC2400001' });
    h.sources.addDeezer({ id: '9102', title: 'Night Drive (Live)', artists: ['Aurora Lane'], seconds: 4 });
    h.sources.addItunes({ id: '1440000001', title: 'Night Drive', artists: ['Aurora Lane'], seconds: 3 });
    const page = await h.media.addPage('/songs/night-drive', { title: 'Night Drive', artist: 'Aurora Lane', seconds: 3 });
    h.search.add(candidate('nd1', page, 'Night Drive', 'Aurora Lane - Topic', 3));
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'aurora lane night drive');
    const list = await resultList(h, alice.id, /Found for “aurora lane night drive”/);
    const offered = buttons(list);
    assert.equal(offered.map((b) => b.text), ['Night Drive — Aurora Lane · 0:03', 'Night Drive (Live) — Aurora Lane · 0:04'], 'Deezer and iTunes hits of one song are one button');
    assert.ok(offered.every((b) => Buffer.byteLength(b.callback_data) <= 64));

    h.fake.pressButton(alice, list, offered[0]!.callback_data);
    const audio = await h.nextAudio(alice.id);
    assert.is(audio.params.title, 'Night Drive');
    assert.is(audio.params.performer, 'Aurora Lane');
    assert.ok(h.sources.requests.includes('/deezer/track/9101'), 'the tap reads the full Deezer metadata, as a Deezer link does');
    assert.is(h.search.queries[0], 'QZABC2400001', 'so the ISRC is searched first');
  }));

S('a Cyrillic query from a Russian user finds and sends the Cyrillic track', () =>
  withMusicHarness({}, async (h) => {
    h.sources.addDeezer({ id: '9201', title: 'Группа крови', artists: ['Кино'], seconds: 3 });
    const page = await h.media.addPage('/songs/gruppa-krovi', { title: 'Группа крови', artist: 'Кино', seconds: 3, freq: 330 });
    h.search.add(candidate('gk1', page, 'Группа крови', 'Кино', 3));
    const ivan = h.fake.createUser({ languageCode: 'ru' });
    h.fake.sendText(ivan, 'Кино группа крови');
    const list = await resultList(h, ivan.id, /Нашёл по запросу «Кино группа крови»/);
    const offered = buttons(list);
    assert.equal(offered.map((b) => b.text), ['Группа крови — Кино · 0:03']);
    h.fake.pressButton(ivan, list, offered[0]!.callback_data);
    const audio = await h.nextAudio(ivan.id);
    assert.is(audio.params.title, 'Группа крови');
    assert.is(audio.params.performer, 'Кино');
  }));

S('with Spotify configured its search is asked with the app token: a shared song is one button, a Spotify-only hit is sent', async () => {
  const spotify = await startFakeSpotify();
  try {
    await withMusicHarness({ spotify: unlinkedWebApi(spotify), spotifySearch: { apiUrl: spotify.apiUrl, appToken: fakeAppToken(spotify) } }, async (h) => {
      h.sources.addDeezer({ id: '9501', title: 'Night Drive', artists: ['Aurora Lane'], seconds: 215 });
      spotify.addTrack({ name: 'Night Drive (Acoustic)', artists: ['Aurora Lane'], durationMs: 3000, isrc: 'QZABC2400999' });
      const page = await h.media.addPage('/songs/night-drive-acoustic', { title: 'Night Drive (Acoustic)', artist: 'Aurora Lane', seconds: 3, freq: 700 });
      h.search.add(candidate('nda', page, 'Night Drive (Acoustic)', 'Aurora Lane - Topic', 3));
      const alice = h.fake.createUser();
      h.fake.sendText(alice, 'night drive aurora lane');
      const list = await resultList(h, alice.id, /Found for/);
      const offered = buttons(list);
      assert.equal(offered.map((b) => b.text), ['Night Drive — Aurora Lane · 3:35', 'Night Drive (Acoustic) — Aurora Lane · 0:03']);
      assert.is(spotify.count('search', { status: 200 }), 1);
      h.fake.pressButton(alice, list, offered[1]!.callback_data);
      assert.is((await h.nextAudio(alice.id)).params.title, 'Night Drive (Acoustic)');
      assert.is(h.search.queries[0], 'QZABC2400999', 'the Spotify link was resolved with the app token, ISRC and all');
    });
  } finally {
    await spotify.close();
  }
});

S('/search in a group answers there; /s is the same; a link in a private chat is still a link', () =>
  withMusicHarness({}, async (h) => {
    h.sources.addItunes({ id: '1440000002', title: 'Paper Lanterns', artists: ['Mira Solen'], seconds: 4 });
    const alice = h.fake.createUser();
    const group = h.fake.createGroup('friends');
    h.fake.sendCommand(alice, 'search', 'paper lanterns', { chat: group, mention: true });
    assert.equal(buttons(await resultList(h, group.id, /Found for “paper lanterns”/)).map((b) => b.text), ['Paper Lanterns — Mira Solen · 0:04']);
    h.fake.sendCommand(alice, 's', 'mira solen', { chat: group });
    assert.equal(buttons(await resultList(h, group.id, /Found for “mira solen”/)).map((b) => b.text), ['Paper Lanterns — Mira Solen · 0:04']);

    h.sources.addDeezer({ id: '9301', title: 'Tidewater', artists: ['Kestrel'], seconds: 3 });
    const page = await h.media.addPage('/songs/tidewater', { title: 'Tidewater', artist: 'Kestrel', seconds: 3, freq: 500 });
    h.search.add(candidate('tw1', page, 'Tidewater', 'Kestrel - Topic', 3));
    h.fake.sendText(alice, 'https://www.deezer.com/track/9301');
    assert.is((await h.nextAudio(alice.id)).params.title, 'Tidewater');
    assert.not.ok(h.sources.requests.some((r) => r.startsWith('/deezer/search?q=https')), 'a link is not searched as words');
  }));

S('input it cannot search gets a hint; nothing found says so; a plain text in a group is ignored', () =>
  withMusicHarness({}, async (h) => {
    const alice = h.fake.createUser();
    h.fake.sendText(alice, '🎵🎶 !!');
    await h.nextText(alice.id, /Send me a song's name/, 15_000);
    h.fake.sendText(alice, 'la '.repeat(80));
    await h.nextText(alice.id, /too long to search: keep it under 200 characters/, 15_000);
    h.fake.sendCommand(alice, 'search');
    await h.nextText(alice.id, /Send me a song's name/, 15_000);
    h.fake.sendText(alice, 'no such song anywhere');
    await h.nextText(alice.id, /Nothing found for “no such song anywhere”/, 15_000);
    const group = h.fake.createGroup('friends');
    h.fake.sendText(alice, 'night drive', { chat: group });
    h.fake.sendText(alice, 'paper lanterns');
    await h.nextText(alice.id, /Nothing found for “paper lanterns”/, 15_000);
    assert.equal(h.fake.messagesTo(group.id), [], 'the bot does not answer chatter in groups');
    assert.not.ok(h.sources.requests.some((r) => r.includes('night')), 'nor search it');
  }));

S('every catalogue down or silent: "try again later"; one down: the other still answers', () =>
  withMusicHarness({ service: { textSearchBudgetMs: 500 } }, async (h) => {
    h.sources.addDeezer({ id: '9401', title: 'Harbour Lights', artists: ['Mira Solen'], seconds: 3 });
    const alice = h.fake.createUser();
    h.sources.searchMode = 'down';
    h.fake.sendText(alice, 'harbour lights');
    await h.nextText(alice.id, /Search is not working right now\. Please try again later/, 15_000);
    h.sources.searchMode = 'hang';
    h.fake.sendText(alice, 'harbour lights');
    await h.nextText(alice.id, /Search is not working right now/, 15_000);
    h.sources.searchMode = 'ok';
    h.fake.sendText(alice, 'harbour lights');
    assert.equal(buttons(await resultList(h, alice.id, /Found for “harbour lights”/)).map((b) => b.text), ['Harbour Lights — Mira Solen · 0:03']);
  }));

S('a user who searches too often is told to wait', () =>
  withMusicHarness({ port: { searchesPerMinute: 1 } }, async (h) => {
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'first song');
    await h.nextText(alice.id, /Nothing found/, 15_000);
    h.fake.sendText(alice, 'second song');
    await h.nextText(alice.id, /You searched many times this minute\. Try again in \d+ s\./, 15_000);
    assert.not.ok(h.sources.requests.some((r) => r.includes('second')), 'the catalogues were not asked');
  }));

S.run();
