/**
 * The bot as a whole: start-up (command menus, polling or webhook), Telegram's 429 retried,
 * the webhook's secret check, languages, the allowlist, the fallback and `bot.catch`; every
 * update handed to grammY, polled or posted, is told to the `onUpdate` listeners (metrics).
 */
import type { Update } from 'grammy/types';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MusicPort } from '../../src/bot/musicChat/musicPort.ts';
import { WEBHOOK_PATH } from '../../src/bot/webhookRoute.ts';
import { TRACK_WITH_ISRC } from '../helpers/fakeSpotify.ts';
import { startBotHarness, type BotHarness } from './botHarness.ts';

const Bot = suite('createBot');
let h: BotHarness | undefined;

Bot.after.each(async () => {
  await h?.close();
  h = undefined;
});

Bot('start-up sets the command menu in English (default) and Russian (ru, uk, be, kk) and polls', async () => {
  h = await startBotHarness();
  const handled: number[] = [];
  h.app.onUpdate((update, handling) => void handling.then(() => handled.push(update.update_id)));
  const alice = h.fake.createUser();
  const help = h.fake.sendCommand(alice, 'help');
  await h.replyTo(alice);
  assert.is(h.app.isConnected(), true);
  await h.app.stop();
  assert.equal(handled, [help.update_id], 'the polled update reached the listeners once');
  assert.equal(h.fake.commandsFor('')?.commands.map((c) => c.command), ['start', 'help', 'login', 'unlink', 'now', 'recent']);
  assert.is(h.fake.commandsFor('en')?.commands[4]?.description, 'What is playing now');
  for (const code of ['ru', 'uk', 'be', 'kk']) assert.is(h.fake.commandsFor(code)?.commands[4]?.description, 'Что играет сейчас', code);
  assert.equal(h.fake.callsOf('deleteWebhook').map((c) => c.status), [200]);
});

Bot('a failing setMyCommands is logged and start-up goes on', async () => {
  h = await startBotHarness({ beforeStart: (fake) => fake.failNext('setMyCommands', { kind: 'error', status: 400, description: 'Bad Request: nope' }, 6) });
  const alice = h.fake.createUser();
  h.fake.sendCommand(alice, 'help');
  assert.match((await h.replyTo(alice)).params.text, '/now');
  assert.match(h.logs(), 'setMyCommands failed');
});

Bot('without Spotify configured the menu has only /start and /help, and /login says so plainly', async () => {
  h = await startBotHarness({ spotify: false });
  assert.equal(h.fake.commandsFor('')?.commands.map((c) => c.command), ['start', 'help']);
  const alice = h.fake.createUser();
  h.fake.sendCommand(alice, 'login');
  assert.match((await h.replyTo(alice)).params.text, 'Spotify is not set up on this bot');
  h.fake.sendCommand(alice, 'now');
  assert.is((await h.replyTo(alice)).params.text, 'Spotify is not set up on this bot.');
});

Bot('a 429 from Telegram is waited out and the reply is sent again', async () => {
  h = await startBotHarness();
  const alice = h.fake.createUser();
  h.fake.failNext('sendMessage', { kind: 'rateLimit', retryAfter: 1 });
  h.fake.sendCommand(alice, 'help');
  const reply = await h.fake.nextCall('sendMessage', (c) => c.params.chat_id === alice.id && c.status === 200);
  assert.match(reply.params.text, '/recent');
  assert.equal(h.fake.callsOf('sendMessage').map((c) => c.status), [429, 200]);
});

Bot('Russian for ru, uk, be and kk; English for everyone else', async () => {
  h = await startBotHarness();
  for (const [code, expected] of [['ru', 'Такой команды я не знаю'], ['uk', 'Такой команды'], ['kk', 'Такой команды'], ['en', "I don't know this command"], ['de', "I don't know"], ['pt-BR', "I don't know"]] as const) {
    const user = h.fake.createUser({ languageCode: code });
    h.fake.sendCommand(user, 'nosuchcommand');
    assert.match((await h.replyTo(user)).params.text, expected, code);
  }
  const plain = h.fake.createUser();
  h.fake.sendText(plain, 'hello there');
  assert.is((await h.replyTo(plain)).params.text, 'Send me a music link, or see /help for what I can do.');
});

Bot('with an allowlist a stranger gets one polite refusal and then silence; the allowed user is served', async () => {
  h = await startBotHarness({ allowed: [424242] });
  const friend = h.fake.createUser({ id: 424242 });
  const stranger = h.fake.createUser({ id: 515151 });
  h.fake.sendCommand(stranger, 'start');
  const refusal = await h.replyTo(stranger);
  assert.match(refusal.params.text, 'private bot');
  assert.match(refusal.params.text, '515151');
  h.fake.sendCommand(stranger, 'login');
  h.fake.inlineQuery(stranger, '');
  assert.equal((await h.fake.nextCall('answerInlineQuery')).params.results, []);
  h.fake.sendCommand(friend, 'help');
  await h.replyTo(friend);
  assert.is(h.fake.messagesTo(stranger.id).length, 1, 'one refusal only');
  assert.is((await h.link.links.status(stranger.id)).state, 'unlinked');
});

Bot('a failing handler is logged, the user hears "something went wrong", and the bot goes on', async () => {
  const music: MusicPort = {
    feature: {},
    downloadSpotifyTrack: async () => {
      throw new Error('the pipeline exploded');
    },
    cachedAudio: async () => undefined, answerInlineSearch: async () => {},
  };
  h = await startBotHarness({ music });
  const alice = h.fake.createUser({ languageCode: 'ru' });
  await h.linkThroughBot(alice);
  h.link.spotify.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id });
  h.fake.sendCommand(alice, 'now');
  const card = await h.replyTo(alice, 'sendPhoto');
  h.fake.pressButton(alice, card.result, `dl:${TRACK_WITH_ISRC.id}`);
  assert.is((await h.replyTo(alice)).params.text, 'У меня что-то пошло не так. Попробуйте ещё раз.');
  assert.match(h.logs(), 'the pipeline exploded');
  h.fake.sendCommand(alice, 'help');
  assert.match((await h.replyTo(alice)).params.text, '/recent');
});

Bot('link notices reach the user once, in the language they last wrote in', async () => {
  h = await startBotHarness();
  const olga = h.fake.createUser({ languageCode: 'ru' });
  await h.linkThroughBot(olga);
  h.link.spotify.revokeRefreshTokens('alice');
  h.link.spotify.expireAccessTokens('alice');
  h.fake.sendCommand(olga, 'now');
  const texts = [(await h.replyTo(olga)).params.text, (await h.replyTo(olga)).params.text].sort();
  assert.match(texts.join('\n'), 'Spotify отозвал доступ бота к вашему аккаунту');
  assert.is(texts.filter((t: string) => t.startsWith('Spotify отозвал доступ бота к вашему аккаунту, поэтому')).length, 1, 'the notice, once');

  await h.app.notifier.notify(olga.id, { kind: 'relinkSoon', expiresAt: Date.UTC(2027, 4, 23) });
  const reminder = await h.replyTo(olga);
  assert.match(reminder.params.text, 'закончится 23.05.2027');
});

Bot('webhook mode: setWebhook with the secret; updates with it are handled, a wrong or missing one gets 401', async () => {
  h = await startBotHarness({ mode: 'webhook' });
  const hook = h.fake.webhook!;
  assert.is(hook.url, h.httpBase + WEBHOOK_PATH);
  assert.is(hook.secretToken, h.config.telegram.webhookSecret);
  assert.equal(hook.allowedUpdates, ['message', 'callback_query', 'inline_query', 'chosen_inline_result']);
  assert.is(h.app.isConnected(), true);
  const handled: number[] = [];
  h.app.onUpdate((update, handling) => void handling.then(() => handled.push(update.update_id)));

  const alice = h.fake.createUser();
  const update = h.fake.sendCommand(alice, 'help');
  assert.is(await h.fake.webhookDelivery(update.update_id), 200);
  assert.match((await h.replyTo(alice)).params.text, '/recent');
  assert.equal(handled, [update.update_id], 'the posted update reached the listeners once');

  const forged: Update = { ...update, update_id: update.update_id + 1000 };
  assert.is(await h.fake.deliverWebhook(hook.url, forged, 'wrong-secret-wrong-secret'), 401);
  assert.is(await h.fake.deliverWebhook(hook.url, forged), 401);
  const broken = await fetch(hook.url, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': hook.secretToken! }, body: '{not json' });
  assert.is(broken.status, 400);
  assert.is(h.fake.callsOf('sendMessage').length, 1, 'nothing else was processed');
  assert.not.match(h.logs(), hook.secretToken!);
});

Bot.run();
