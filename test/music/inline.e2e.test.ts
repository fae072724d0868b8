/**
 * Inline search end to end: `@bot <words>` lists tracks found by name (fake Deezer and iTunes
 * searches, real shapes); choosing an article (Telegram's `chosen_inline_result`, inline
 * feedback on) downloads the track with the real yt-dlp and ffmpeg, uploads it to the
 * chooser's private chat (deleted afterwards) or to STORAGE_CHAT_ID, and edits the inline
 * message into the audio; the next query offers that audio as cached audio.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Bot } from 'grammy';
import type { User } from 'grammy/types';
import type { BotContext } from '../../src/bot/context.ts';
import type { MusicPort } from '../../src/bot/musicChat/musicPort.ts';
import { candidate } from '../helpers/musicFixtures.ts';
import { withMusicHarness, type MusicHarness } from '../helpers/musicHarness.ts';

const S = suite('inline search end to end');

/** The bot's inline composer hands words to the music port (`src/bot/composers/inline.ts`); this harness has no composers. */
const inlineMode = { extra: (bot: Bot<BotContext>, port: MusicPort) => void bot.on('inline_query', (ctx) => port.answerInlineSearch(ctx as never)) };

type Result = { type: string; id: string; title?: string; audio_file_id?: string; reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] } };

async function answer(h: MusicHarness, user: User, query: string) {
  h.fake.inlineQuery(user, query);
  const call = await h.fake.nextCall('answerInlineQuery', undefined, 15_000);
  return { results: call.params.results as Result[], call };
}

/** Telegram's update when `user` picks `resultId` (inline feedback on; the article has a keyboard). */
function choose(h: MusicHarness, user: User, resultId: string, query: string, inlineMessageId = 'AgAAAFakeInlineMsg1') {
  h.fake.enqueue({ chosen_inline_result: { result_id: resultId, from: user, query, inline_message_id: inlineMessageId } });
  return inlineMessageId;
}

async function harbourLights(h: MusicHarness): Promise<void> {
  h.sources.addDeezer({ id: '9301', title: 'Harbour Lights', artists: ['Mira Solen'], seconds: 3 });
  const page = await h.media.addPage('/songs/harbour-lights-inline', { title: 'Harbour Lights', artist: 'Mira Solen', seconds: 3, freq: 550 });
  h.search.add(candidate('hi1', page, 'Harbour Lights', 'Mira Solen - Topic', 3));
}

S('an inline query lists found tracks; choosing one turns the inline message into the audio, and it is cached audio next time', () =>
  withMusicHarness({ ...inlineMode }, async (h) => {
    await harbourLights(h);
    const alice = h.fake.createUser();
    const { results, call } = await answer(h, alice, 'mira solen harbour');
    assert.is(results.length, 1);
    assert.is(results[0]!.type, 'article');
    assert.is(results[0]!.title, 'Harbour Lights');
    assert.ok(results[0]!.reply_markup!.inline_keyboard[0]![0]!.callback_data, 'a keyboard, so Telegram sends the inline_message_id');
    assert.is(call.params.is_personal, false);
    assert.ok(Buffer.byteLength(results[0]!.id) <= 64);

    const inlineId = choose(h, alice, results[0]!.id, 'mira solen harbour');
    const edit = await h.fake.nextCall('editMessageMedia', (c) => c.params.inline_message_id === inlineId, 90_000);
    const media = (typeof edit.params.media === 'string' ? JSON.parse(edit.params.media) : edit.params.media) as { type: string; media: string };
    assert.is(media.type, 'audio');
    const upload = h.fake.calls.find((c) => c.method === 'sendAudio' && c.params.chat_id === alice.id);
    assert.ok(upload, "uploaded to the chooser's private chat");
    assert.is(upload!.params.title, 'Harbour Lights');
    assert.is(media.media, upload!.result?.audio?.file_id, 'the inline message shows that very upload');
    await h.fake.nextCall('deleteMessage', (c) => c.params.chat_id === alice.id);
    await h.service.queue.idle();

    const again = await answer(h, alice, 'mira solen harbour');
    assert.equal(again.results.map((r) => [r.type, r.audio_file_id]), [['audio', media.media]]);
    h.fake.assertNoViolations();
  }));

S('with STORAGE_CHAT_ID the upload goes to that channel and stays; a forgotten result edits the message into an explanation', async () => {
  const storage = -1001234567890;
  await withMusicHarness({ ...inlineMode, port: { storageChatId: storage } }, async (h) => {
    h.fake.createChannel(storage);
    await harbourLights(h);
    const bob = h.fake.createUser();
    const { results } = await answer(h, bob, 'harbour lights');
    const inlineId = choose(h, bob, results[0]!.id, 'harbour lights', 'AgAAAFakeInlineMsg2');
    await h.fake.nextCall('editMessageMedia', (c) => c.params.inline_message_id === inlineId, 90_000);
    assert.ok(h.fake.calls.some((c) => c.method === 'sendAudio' && c.params.chat_id === storage));
    assert.not.ok(h.fake.calls.some((c) => c.method === 'deleteMessage'), 'the storage copy is kept');

    choose(h, bob, 's:AAAAAAAAAA:0', 'harbour lights', 'AgAAAFakeInlineMsg3');
    const explained = await h.fake.nextCall('editMessageText', (c) => c.params.inline_message_id === 'AgAAAFakeInlineMsg3');
    assert.match(String(explained.params.text), 'expired');
    h.fake.assertNoViolations();
  });
});

S.run();
