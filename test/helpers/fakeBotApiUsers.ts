/**
 * What a simulated Telegram user does, as the updates Telegram would send the bot: a text
 * message (commands get their `bot_command` entity, as real clients add it), a press on an
 * inline button, an inline query. The builders do not queue anything; `FakeBotApi` does.
 */
import type { Chat, InlineKeyboardButton, Message, Update, User } from 'grammy/types';
import { FakeApiError, type FakeWorld } from './fakeBotApiWorld.ts';

/** Where a user's message goes: their private chat with the bot unless `chat` says otherwise. */
export interface SendOptions {
  chat?: Chat;
  /** The message this one replies to. */
  replyTo?: Message;
}

/** Options of a button press. */
export interface PressOptions {
  /**
   * Send the callback even if the message has no such button: what a stale client or a forged
   * request does. Without it a missing button fails the test, since it is usually a typo.
   */
  forge?: boolean;
}

/** Options of an inline query. */
export interface InlineQueryOptions {
  offset?: string;
  chatType?: 'sender' | 'private' | 'group' | 'supergroup' | 'channel';
}

/** The text of a command as a user types it: `/start abc`, or `/start@bot abc` in groups. */
export function commandText(command: string, payload?: string, botUsername?: string): string {
  const name = command.replace(/^\//, '');
  return `/${name}${botUsername ? `@${botUsername}` : ''}${payload ? ` ${payload}` : ''}`;
}

function chatFor(world: FakeWorld, user: User, chat: Chat | undefined): Chat {
  if (!world.users.has(user.id)) throw new Error(`user ${user.id} was not made by this fake (use fake.createUser())`);
  const target = chat ?? world.chats.get(user.id);
  if (!target || !world.chats.has(target.id)) throw new Error(`chat ${target?.id} is unknown to this fake (use fake.createGroup())`);
  return world.chats.get(target.id)!;
}

/** A `message` update with `text` from `user`. */
export function textUpdate(world: FakeWorld, user: User, text: string, opts: SendOptions = {}): Update {
  const chat = chatFor(world, user, opts.chat);
  const message: Message = { message_id: world.nextMessageId(), from: user, chat, date: world.date(), text } as Message;
  const command = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?/.exec(text);
  // Offsets and lengths are in UTF-16 code units, like JavaScript string indices.
  if (command) message.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
  if (opts.replyTo) (message as { reply_to_message?: Message }).reply_to_message = world.find(opts.replyTo.chat.id, opts.replyTo.message_id);
  world.store(message, false);
  return { update_id: world.nextUpdateId(), message } as Update;
}

function buttons(message: Message): InlineKeyboardButton[] {
  return message.reply_markup?.inline_keyboard.flat() ?? [];
}

/** A `callback_query` update: `user` pressed the button carrying `data` on the bot's `message`. */
export function callbackUpdate(world: FakeWorld, user: User, message: Message, data: string, opts: PressOptions = {}): Update {
  let current: Message;
  try {
    current = world.find(message.chat.id, message.message_id);
  } catch (err) {
    if (err instanceof FakeApiError) throw new Error(`cannot press a button on message ${message.message_id}: it was deleted or never sent`);
    throw err;
  }
  const datas = buttons(current).flatMap((b) => ('callback_data' in b && b.callback_data !== undefined ? [b.callback_data] : []));
  if (!opts.forge && !datas.includes(data)) {
    throw new Error(`message ${current.message_id} has no button with callback_data ${JSON.stringify(data)} (it has ${JSON.stringify(datas)})`);
  }
  const id = world.nextQueryId();
  world.openQueries.add(id);
  return {
    update_id: world.nextUpdateId(),
    callback_query: { id, from: user, message: current, chat_instance: `ci${Math.abs(current.chat.id)}`, data },
  };
}

/** An `inline_query` update: `user` typed `@bot query` in some chat. */
export function inlineQueryUpdate(world: FakeWorld, user: User, query: string, opts: InlineQueryOptions = {}): Update {
  chatFor(world, user, undefined);
  const id = world.nextQueryId();
  world.openQueries.add(id);
  return {
    update_id: world.nextUpdateId(),
    inline_query: { id, from: user, query, offset: opts.offset ?? '', chat_type: opts.chatType ?? 'sender' },
  };
}

/** The text of every button on a message, row by row: handy in assertions. */
export function buttonTexts(message: Message): string[][] {
  return message.reply_markup?.inline_keyboard.map((row) => row.map((b) => b.text)) ?? [];
}
