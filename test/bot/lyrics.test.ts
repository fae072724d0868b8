/**
 * `/lyrics` end to end: the real bot on the fake Bot API, the fake Spotify behind the real
 * link service, and the real LRCLIB client on the fake LRCLIB.
 */
import { InputFile } from 'grammy';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLrclibClient } from '../../src/lyrics/lrclib.ts';
import { TRACK_WITH_ISRC, TRACK_WITHOUT_ISRC } from '../helpers/fakeSpotify.ts';
import { startFakeLrclib, type FakeLrclib } from '../helpers/fakeLrclib.ts';
import { startBotHarness, type BotHarness } from './botHarness.ts';

const Lyrics = suite('bot /lyrics');
let h: BotHarness;
let lrclib: FakeLrclib;

const NIGHT_DRIVE = 'Headlights on the water\nWe drive until the morning';

Lyrics.before.each(async (context) => {
  lrclib = await startFakeLrclib();
  // The fake Spotify's "Night Drive" (Aurora Lane, Kestrel; Coastal Lights; 3:35).
  lrclib.add({ trackName: 'Night Drive', artistName: 'Aurora Lane', albumName: 'Coastal Lights', duration: 215, plainLyrics: NIGHT_DRIVE });
  const off = context.__test__.includes('lyrics off');
  h = await startBotHarness({
    ...(!off && { lyrics: createLrclibClient({ baseUrl: lrclib.url, timeoutMs: 2000 }) }),
    ...(context.__test__.includes('without Spotify') && { spotify: false }),
  });
});
Lyrics.after.each(async () => {
  await h.close();
  await lrclib.close();
});

async function linkedUser(languageCode = 'en') {
  const user = h.fake.createUser({ firstName: 'Alice', languageCode });
  await h.linkThroughBot(user);
  return user;
}

/** The bot sends an audio into the user's chat (as the music pipeline does), to reply to. */
async function audioInChat(chatId: number, fields: { title?: string; performer?: string; duration?: number }, fileName = 'audio.m4a') {
  return h.app.bot.api.sendAudio(chatId, new InputFile(Buffer.from('not really audio'), fileName), fields);
}

Lyrics('the Spotify track playing: its lyrics under a heading, and the menu lists /lyrics', async () => {
  const alice = await linkedUser();
  h.link.spotify.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id, progressMs: 1000, isPlaying: true });
  h.fake.sendCommand(alice, 'lyrics');
  const reply = await h.replyTo(alice);
  assert.is(reply.params.text, `🎤 Aurora Lane – Night Drive\n\n${NIGHT_DRIVE}`);
  assert.is(reply.params.parse_mode, undefined, 'plain text: lyrics are not HTML');
  assert.ok(h.fake.commandsFor('')?.commands.some((c) => c.command === 'lyrics'));
  assert.is(h.fake.commandsFor('ru')?.commands.find((c) => c.command === 'lyrics')?.description, 'Текст песни: что играет или аудио');
});

Lyrics('a miss says so plainly, in Russian for a Russian user', async () => {
  const olga = await linkedUser('ru');
  h.link.spotify.setPlayer('alice', { kind: 'track', trackId: TRACK_WITHOUT_ISRC.id, progressMs: 1000, isPlaying: true });
  h.fake.sendCommand(olga, 'lyrics');
  assert.is((await h.replyTo(olga)).params.text, 'Не нашёл текст песни Basement Tapes – Old Demo (Live).');
});

Lyrics('nothing playing: says so and how else to ask', async () => {
  const alice = await linkedUser();
  h.fake.sendCommand(alice, 'lyrics');
  assert.match((await h.replyTo(alice)).params.text, 'No track is playing on your Spotify');
});

Lyrics('lyrics longer than one message come as several pages, cut between lines, in order', async () => {
  const lines = Array.from({ length: 300 }, (_, i) => `Line ${i + 1} of a very long song that goes on and on`);
  lrclib.add({ trackName: 'Long Song', artistName: 'Endless Band', albumName: 'Forever', duration: 600, plainLyrics: lines.join('\n') });
  const alice = h.fake.createUser();
  const audio = await audioInChat(alice.id, { title: 'Long Song', performer: 'Endless Band', duration: 600 });
  h.fake.sendCommand(alice, 'lyrics', undefined, { replyTo: audio });
  const pages: string[] = [];
  for (;;) {
    const text: string = (await h.replyTo(alice)).params.text;
    pages.push(text);
    if (text.includes('Line 300 ')) break;
  }
  assert.ok(pages.length >= 4, `${pages.length} pages`);
  for (const [i, page] of pages.entries()) {
    assert.ok(page.length <= 4096, `page ${i + 1} is ${page.length} long`);
    assert.ok(page.startsWith(`🎤 Endless Band – Long Song (${i + 1}/${pages.length})\n\n`), page.slice(0, 60));
  }
  const words = pages.flatMap((p) => p.split('\n\n').slice(1).join('\n\n').split('\n'));
  assert.equal(words, lines, 'every line once, whole, in order');
});

Lyrics('a reply to an audio without Spotify: found by its title, performer and length', async () => {
  const bob = h.fake.createUser();
  const audio = await audioInChat(bob.id, { title: 'Night Drive', performer: 'Aurora Lane', duration: 214 });
  h.fake.sendCommand(bob, 'lyrics', undefined, { replyTo: audio });
  assert.is((await h.replyTo(bob)).params.text, `🎤 Aurora Lane – Night Drive\n\n${NIGHT_DRIVE}`);
  assert.equal(lrclib.requests[0]?.query, { track_name: 'Night Drive', artist_name: 'Aurora Lane', duration: '214' });
  // Without a reply there is nothing to look up: the user is told how to ask.
  h.fake.sendCommand(bob, 'lyrics');
  assert.match((await h.replyTo(bob)).params.text, 'as a reply to an audio message');
});

Lyrics('an instrumental, and LRCLIB down, each get one plain sentence', async () => {
  lrclib.add({ trackName: 'Tide Engine', artistName: 'Aurora Lane', albumName: 'Coastal Lights', duration: 180, instrumental: true });
  const bob = h.fake.createUser();
  const audio = await audioInChat(bob.id, { title: 'Tide Engine', performer: 'Aurora Lane', duration: 180 });
  h.fake.sendCommand(bob, 'lyrics', undefined, { replyTo: audio });
  assert.is((await h.replyTo(bob)).params.text, 'Aurora Lane – Tide Engine is an instrumental: it has no lyrics.');
  lrclib.setMode('down');
  h.fake.sendCommand(bob, 'lyrics', undefined, { replyTo: audio });
  assert.is((await h.replyTo(bob)).params.text, 'The lyrics service is not answering right now. Try again later.');
});

Lyrics('lyrics off: /lyrics says so, and the menu does not offer it', async () => {
  const bob = h.fake.createUser();
  h.fake.sendCommand(bob, 'lyrics');
  assert.is((await h.replyTo(bob)).params.text, 'Lyrics are turned off on this bot.');
  assert.not.ok(h.fake.commandsFor('')?.commands.some((c) => c.command === 'lyrics'));
});

Lyrics.run();
