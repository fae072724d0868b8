/**
 * The fake's message methods answer like Telegram: photos with captions, caption edits, and
 * the 400/403 answers bots commonly run into (wrong edit target, reply to a missing message,
 * blocked user, unknown chat action).
 */
import { Api, GrammyError, InlineKeyboard, InputFile } from 'grammy';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeBotApi } from './fakeBotApi.ts';

const Messages = suite('fakeBotApi messages');

async function rig(): Promise<{ fake: FakeBotApi; api: Api }> {
  const fake = await FakeBotApi.start();
  return { fake, api: new Api(fake.token, { apiRoot: fake.apiRoot }) };
}

async function description(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => assert.unreachable('expected the call to fail'), (e: unknown) => e);
  assert.instance(err, GrammyError);
  return (err as GrammyError).description;
}

Messages('a cover photo with a caption and buttons can have its caption edited, not its text', async () => {
  const { fake, api } = await rig();
  try {
    const alice = fake.createUser();
    const cover = Buffer.from('cover-bytes');
    const keyboard = new InlineKeyboard().text('⬇️ Download', 'dl:1');
    const photo = await api.sendPhoto(alice.id, new InputFile(cover, 'cover.jpg'), { caption: 'Song – Band', reply_markup: keyboard });
    assert.ok(fake.sentFiles[0]?.bytes?.equals(cover));
    assert.is(photo.photo?.[0]?.file_id, fake.sentFiles[0]?.fileId);
    const byUrl = await api.sendPhoto(alice.id, 'https://i.scdn.co/image/abc');
    assert.is(fake.sentFiles[1]?.via, 'url');
    assert.ok(byUrl.photo?.[0]?.file_id);
    const edited = await api.editMessageCaption(alice.id, photo.message_id, { caption: 'Paused', reply_markup: keyboard });
    assert.is(typeof edited === 'object' && edited.caption, 'Paused');
    assert.match(await description(api.editMessageText(alice.id, photo.message_id, 'text')), 'there is no text in the message to edit');
    assert.match(await description(api.editMessageCaption(alice.id, photo.message_id, { caption: 'Paused', reply_markup: keyboard })), 'message is not modified');
    fake.assertNoViolations();
  } finally {
    await fake.close();
  }
});

Messages('edits need a target the bot wrote; inline messages are accepted without one', async () => {
  const { fake, api } = await rig();
  try {
    const alice = fake.createUser();
    const own = fake.sendText(alice, 'my words').message!;
    assert.match(await description(api.editMessageText(alice.id, own.message_id, 'changed')), "message can't be edited");
    assert.match(await description(api.editMessageText(alice.id, 999_999, 'changed')), 'message to edit not found');
    assert.match(await description(api.raw.editMessageText({ text: 'x' })), 'message identifier is not specified');
    assert.is(await api.editMessageTextInline('inline-1', 'changed'), true);
  } finally {
    await fake.close();
  }
});

Messages('a reply to a missing message is refused unless sending without reply is allowed', async () => {
  const { fake, api } = await rig();
  try {
    const alice = fake.createUser();
    const asked = fake.sendText(alice, '/now').message!;
    await api.sendMessage(alice.id, 'Nothing playing', { reply_parameters: { message_id: asked.message_id } });
    assert.match(await description(api.sendMessage(alice.id, 'x', { reply_parameters: { message_id: 424_242 } })), 'message to be replied not found');
    await api.sendMessage(alice.id, 'x', { reply_parameters: { message_id: 424_242, allow_sending_without_reply: true } });
    assert.equal(fake.messagesTo(alice.id).map((m) => m.text), ['Nothing playing', 'x']);
  } finally {
    await fake.close();
  }
});

Messages('a user who blocked the bot answers 403, and chat actions must be real ones', async () => {
  const { fake, api } = await rig();
  try {
    const alice = fake.createUser();
    const bob = fake.createUser();
    assert.is(await api.sendChatAction(alice.id, 'upload_voice'), true);
    assert.match(await description(api.sendChatAction(alice.id, 'dancing' as never)), 'wrong parameter action');
    fake.block(bob);
    const err = await api.sendMessage(bob.id, 'hi').catch((e: unknown) => e);
    assert.is((err as GrammyError).error_code, 403);
    assert.is((err as GrammyError).description, 'Forbidden: bot was blocked by the user');
    fake.assertNoViolations();
  } finally {
    await fake.close();
  }
});

Messages('a custom handler overrides a method, and unimplemented methods answer generically', async () => {
  const { fake, api } = await rig();
  try {
    const alice = fake.createUser();
    fake.handle('getChat', ({ params }) => ({ id: params.chat_id, type: 'private', accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false, gifts_from_channels: false } }));
    const chat = await api.getChat(alice.id);
    assert.is(chat.id, alice.id);
    assert.is(await api.setMyDescription('A music bot'), true);
    const sticker = await api.sendSticker(alice.id, 'CAACAgI');
    assert.is(sticker.chat.id, alice.id);
    fake.assertNoViolations();
  } finally {
    await fake.close();
  }
});

Messages.run();
