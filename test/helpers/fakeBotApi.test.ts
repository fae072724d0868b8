/**
 * The fake Bot API with a real grammY bot on the other side: replies, contract violations,
 * uploads, injected failures, buttons and edits, inline mode, commands and the runner.
 * Every test stops its bot before closing the fake, so the process exits on its own.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { run } from '@grammyjs/runner';
import { Bot, GrammyError, HttpError, InlineKeyboard, InputFile } from 'grammy';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buttonTexts, FakeBotApi, type FakeBotApiOptions } from './fakeBotApi.ts';

const Fake = suite('fakeBotApi');

interface Rig {
  fake: FakeBotApi;
  bot: Bot;
  /** Stops the bot, then the fake; fails the test on any contract violation left. */
  stop(): Promise<void>;
}

/** A grammY bot polling the fake, with `setup` adding its handlers. */
async function pollingBot(setup: (bot: Bot) => void = () => {}, options?: FakeBotApiOptions): Promise<Rig> {
  const fake = await FakeBotApi.start(options);
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  const errors: unknown[] = [];
  bot.catch((err) => void errors.push(err.error));
  setup(bot);
  const running = bot.start();
  return {
    fake,
    bot,
    async stop() {
      await bot.stop();
      await running;
      await fake.close();
      assert.equal(errors, [], 'the bot raised errors');
      fake.assertNoViolations();
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => assert.unreachable('expected the call to fail'), (err: unknown) => err);
}

Fake('a /start command gets a reply in the user’s chat', async () => {
  const { fake, stop } = await pollingBot((bot) => bot.command('start', (ctx) => ctx.reply(`Hi ${ctx.from?.first_name}`)));
  try {
    const alice = fake.createUser({ firstName: 'Alice' });
    fake.sendCommand(alice, 'start');
    const call = await fake.nextCall('sendMessage');
    assert.is(call.params.chat_id, alice.id);
    assert.is(call.params.text, 'Hi Alice');
    assert.is(fake.lastMessageTo(alice.id)?.text, 'Hi Alice');
    assert.equal(fake.callsOf('getMe').map((c) => c.status), [200]);
  } finally {
    await stop();
  }
});

Fake('a call missing a required parameter or with a wrong type is a violation answered 400', async () => {
  const { fake, bot, stop } = await pollingBot();
  try {
    const alice = fake.createUser();
    const err = await rejection(bot.api.raw.sendMessage({ chat_id: alice.id } as never));
    assert.instance(err, GrammyError);
    assert.is((err as GrammyError).error_code, 400);
    assert.match((err as GrammyError).description, 'text: missing required parameter');
    await rejection(bot.api.sendMessage(alice.id, 'x', { reply_markup: { inline_keyboard: [[{ text: 'no action' }]] } as never }));
    await rejection(bot.api.sendMessage(String(alice.id), 'x', { disable_notification: 'yes' as never }));
    const found = fake.takeViolations().map((v) => `${v.method} ${v.path}`);
    assert.equal(found, ['sendMessage text', 'sendMessage reply_markup.inline_keyboard[0][0]', 'sendMessage disable_notification']);
    assert.equal(fake.messagesTo(alice.id), []);
  } finally {
    await stop();
  }
});

Fake('with rejectViolations off a broken call is still recorded but answered', async () => {
  const { fake, bot, stop } = await pollingBot(undefined, { rejectViolations: false });
  try {
    const alice = fake.createUser();
    await bot.api.sendMessage(alice.id, 'x', { colour: 'red' } as never);
    assert.equal(fake.takeViolations().map((v) => v.problem), ['unknown parameter of sendMessage']);
  } finally {
    await stop();
  }
});

Fake('an uploaded audio is recorded with its bytes and fields, and its file_id can be sent again', async () => {
  const { fake, bot, stop } = await pollingBot();
  try {
    const alice = fake.createUser();
    const bytes = Buffer.from([0xff, 0xfb, 0x90, 0x00, 0x0d, 0x0a, 0x2d, 0x2d, 1, 2, 3]); // contains CRLF--
    const cover = Buffer.from('jpeg-bytes');
    const sent = await bot.api.sendAudio(alice.id, new InputFile(bytes, 'Song by Band.mp3'), {
      title: 'Song', performer: 'Band', duration: 187, thumbnail: new InputFile(cover, 'cover.jpg'),
      reply_markup: new InlineKeyboard().url('Open in Spotify', 'https://open.spotify.com/track/1'),
    });
    const [upload] = fake.sentFiles;
    assert.is(upload?.via, 'upload');
    assert.ok(upload?.bytes?.equals(bytes), 'the bytes arrive unchanged');
    assert.is(upload?.filename, 'Song by Band.mp3');
    assert.equal([upload?.params.title, upload?.params.performer, upload?.params.duration], ['Song', 'Band', 187]);
    assert.ok(upload?.thumbnail?.bytes.equals(cover));
    assert.is(sent.audio?.file_id, upload?.fileId);
    assert.equal([sent.audio?.title, sent.audio?.duration], ['Song', 187]);
    assert.equal(buttonTexts(sent), [['Open in Spotify']]);
    const again = await bot.api.sendAudio(alice.id, sent.audio!.file_id, { caption: 'again' });
    assert.is(again.audio?.file_id, sent.audio?.file_id);
    assert.is(fake.sentFiles[1]?.via, 'file_id');
    const err = await rejection(bot.api.sendAudio(alice.id, 'no-such-file'));
    assert.match((err as GrammyError).description, 'wrong file identifier');
  } finally {
    await stop();
  }
});

Fake('an injected 429 carries retry_after, a 500 is answered, and auto-retry gets the message through', async () => {
  const { fake, bot, stop } = await pollingBot();
  try {
    const alice = fake.createUser();
    fake.failNext('sendMessage', { kind: 'rateLimit', retryAfter: 1 });
    const err = await rejection(bot.api.sendMessage(alice.id, 'x'));
    assert.instance(err, GrammyError);
    assert.is((err as GrammyError).error_code, 429);
    assert.is((err as GrammyError).description, 'Too Many Requests: retry after 1');
    assert.equal((err as GrammyError).parameters, { retry_after: 1 });
    fake.failNext('sendMessage', { kind: 'serverError' });
    assert.is(((await rejection(bot.api.sendMessage(alice.id, 'x'))) as GrammyError).error_code, 500);
    bot.api.config.use(autoRetry());
    fake.failNext('sendMessage', { kind: 'rateLimit', retryAfter: 1 });
    await bot.api.sendMessage(alice.id, 'through');
    assert.equal(fake.callsOf('sendMessage').map((c) => c.status), [429, 500, 429, 200]);
    assert.equal(fake.messagesTo(alice.id).map((m) => m.text), ['through']);
  } finally {
    await stop();
  }
});

Fake('a hanging call is held until the fake closes', async () => {
  const fake = await FakeBotApi.start();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  const alice = fake.createUser();
  fake.failNext('sendChatAction', { kind: 'hang' });
  const pending = rejection(bot.api.sendChatAction(alice.id, 'typing'));
  const held = await fake.nextCall('sendChatAction');
  assert.is(held.status, 0);
  await fake.close();
  assert.instance(await pending, HttpError);
});

Fake('a pressed button reaches the bot, its answer is accepted once, and edits follow Telegram rules', async () => {
  const { fake, bot, stop } = await pollingBot((b) => {
    b.command('unlink', (ctx) => ctx.reply('Sure?', { reply_markup: new InlineKeyboard().text('Yes', 'unlink:yes') }));
    b.callbackQuery('unlink:yes', async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText('Unlinked');
    });
  });
  try {
    const alice = fake.createUser();
    fake.sendCommand(alice, 'unlink');
    const question = (await fake.nextCall('sendMessage')).result;
    assert.throws(() => fake.pressButton(alice, question, 'unlink:no'), /no button with callback_data "unlink:no"/);
    const press = fake.pressButton(alice, question, 'unlink:yes');
    await fake.nextCall('editMessageText');
    assert.equal(fake.messagesTo(alice.id).map((m) => [m.text, buttonTexts(m)]), [['Unlinked', []]]);
    const again = await rejection(bot.api.answerCallbackQuery(press.callback_query!.id));
    assert.match((again as GrammyError).description, 'query is too old');
    const same = await rejection(bot.api.editMessageText(alice.id, question.message_id, 'Unlinked'));
    assert.match((same as GrammyError).description, 'message is not modified');
    await bot.api.deleteMessage(alice.id, question.message_id);
    assert.equal(fake.messagesTo(alice.id), []);
    const gone = await rejection(bot.api.deleteMessage(alice.id, question.message_id));
    assert.match((gone as GrammyError).description, 'message to delete not found');
    assert.match(String(await rejection(bot.api.sendMessage(424242, 'x'))), 'chat not found');
  } finally {
    await stop();
  }
});

Fake('an inline query is answered with personal, uncached results and a connect button', async () => {
  const { fake, stop } = await pollingBot((bot) =>
    bot.on('inline_query', (ctx) =>
      ctx.answerInlineQuery(
        [{ type: 'article', id: 'now', title: 'Song – Band', input_message_content: { message_text: 'Song – Band' } }],
        { is_personal: true, cache_time: 0, button: { text: 'Connect Spotify', start_parameter: 'login' } },
      ),
    ),
  );
  try {
    const alice = fake.createUser({ languageCode: 'ru' });
    const query = fake.inlineQuery(alice, '');
    const answer = await fake.nextCall('answerInlineQuery');
    assert.is(answer.params.inline_query_id, query.inline_query?.id);
    assert.equal([answer.params.is_personal, answer.params.cache_time, answer.params.button.start_parameter], [true, 0, 'login']);
    assert.is(answer.status, 200);
  } finally {
    await stop();
  }
});

Fake('commands are kept per language, and an invalid command name is refused', async () => {
  const { fake, bot, stop } = await pollingBot();
  try {
    await bot.api.setMyCommands([{ command: 'now', description: 'Now playing' }]);
    await bot.api.setMyCommands([{ command: 'now', description: 'Сейчас играет' }], { language_code: 'ru' });
    assert.equal(fake.commandsFor('ru')?.commands, [{ command: 'now', description: 'Сейчас играет' }]);
    assert.equal(fake.commandsFor('')?.commands, [{ command: 'now', description: 'Now playing' }]);
    const err = await rejection(bot.api.setMyCommands([{ command: 'Now', description: 'x' }]));
    assert.match((err as GrammyError).description, 'BOT_COMMAND_INVALID');
  } finally {
    await stop();
  }
});

Fake('unknown methods answer 404 and a wrong token 401, as Telegram does', async () => {
  const { fake, bot, stop } = await pollingBot();
  try {
    const err = await rejection((bot.api.raw as unknown as Record<string, () => Promise<unknown>>).sendSong!());
    assert.is((err as GrammyError).error_code, 404);
    assert.equal(fake.takeViolations().map((v) => v.problem), ['unknown method']);
    const stranger = new Bot('1:wrong', { client: { apiRoot: fake.apiRoot } });
    assert.is(((await rejection(stranger.api.getMe())) as GrammyError).error_code, 401);
  } finally {
    await stop();
  }
});

Fake('the runner polls the fake just as bot.start() does', async () => {
  const fake = await FakeBotApi.start();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
  const runner = run(bot);
  try {
    const alice = fake.createUser();
    const bob = fake.createUser();
    fake.sendText(alice, 'one');
    fake.sendText(bob, 'two');
    await fake.nextCall('sendMessage', (c) => c.params.chat_id === alice.id);
    await fake.nextCall('sendMessage', (c) => c.params.chat_id === bob.id);
    assert.equal(fake.messagesTo(bob.id).map((m) => m.text), ['echo: two']);
  } finally {
    await runner.stop();
    await fake.close();
  }
  fake.assertNoViolations();
});

Fake.run();
