/**
 * The state behind the fake Bot API: the bot's own user, the simulated users and chats, every
 * message in every chat (so edits and deletes can be checked like Telegram checks them), the
 * files the bot uploaded, and the settings the bot made (commands, webhook).
 *
 * Ids are unique across the whole fake (message ids too, which Telegram only keeps unique per
 * chat), so a test can never mix up two messages by accident.
 */
import type { BotCommand, BotCommandScope, Chat, Message, User, UserFromGetMe } from 'grammy/types';
import type { UploadedFile } from './fakeBotApiBody.ts';

/** A Telegram error answer: what the bot sees as a `GrammyError`. */
export class FakeApiError extends Error {
  readonly code = 'FAKE_BOT_API_ERROR';
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
    this.name = 'FakeApiError';
  }
}

/** A file the fake knows by `file_id`: uploaded by the bot, or made up for a URL. */
export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  /** The uploaded bytes; undefined when the bot passed a URL. */
  bytes?: Buffer;
  filename?: string;
}

/** One file-carrying call: what the bot sent, how, and under which `file_id` it is now known. */
export interface SentFile {
  method: string;
  /** The parameter: `audio`, `photo`, ... */
  field: string;
  via: 'upload' | 'file_id' | 'url';
  fileId: string;
  bytes?: Buffer;
  filename?: string;
  /** The call's other parameters (title, performer, duration, caption...). */
  params: Record<string, unknown>;
  /** An uploaded `thumbnail`, when there was one. */
  thumbnail?: UploadedFile;
  chatId: number;
}

/** The webhook the bot registered with `setWebhook`. */
export interface WebhookSetting {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
  maxConnections?: number;
}

/** One `setMyCommands` result: the commands for a scope and language. */
export interface CommandSetting {
  scope: BotCommandScope;
  languageCode: string;
  commands: BotCommand[];
}

interface StoredMessage {
  message: Message;
  deleted: boolean;
  fromBot: boolean;
}

/** Mutable state of one fake Bot API instance. */
export class FakeWorld {
  readonly bot: UserFromGetMe;
  readonly users = new Map<number, User>();
  readonly chats = new Map<number, Chat>();
  /** Users who blocked the bot: sending to them answers 403. */
  readonly blocked = new Set<number>();
  readonly files = new Map<string, StoredFile>();
  readonly sentFiles: SentFile[] = [];
  readonly commands: CommandSetting[] = [];
  /** Callback and inline query ids not yet answered. */
  readonly openQueries = new Set<string>();
  webhook: WebhookSetting | undefined;
  private readonly messages = new Map<string, StoredMessage>();
  private seq = { update: 500_000, message: 1, user: 10_000, group: 1_000_000_000_000, file: 1, query: 1 };

  constructor(
    botId: number,
    readonly now: () => number,
  ) {
    this.bot = {
      id: botId,
      is_bot: true,
      first_name: 'Test Music Bot',
      username: 'test_music_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
  }

  /** Unix seconds, as Telegram dates are. */
  date(): number {
    return Math.floor(this.now() / 1000);
  }

  nextUpdateId(): number {
    return this.seq.update++;
  }

  nextMessageId(): number {
    return this.seq.message++;
  }

  nextQueryId(): string {
    return `${this.seq.query++}${String(this.bot.id).slice(-4)}`;
  }

  /** A simulated Telegram user with a private chat with the bot. */
  createUser(opts: { firstName?: string; username?: string; languageCode?: string; id?: number } = {}): User {
    const id = opts.id ?? this.seq.user++;
    const user: User = { id, is_bot: false, first_name: opts.firstName ?? `User${id}`, language_code: opts.languageCode ?? 'en' };
    if (opts.username) user.username = opts.username;
    this.users.set(id, user);
    const chat: Chat.PrivateChat = { id, type: 'private', first_name: user.first_name };
    if (user.username) chat.username = user.username;
    this.chats.set(id, chat);
    return user;
  }

  /** A group chat the bot is a member of. */
  createGroup(title = 'Test group', type: 'group' | 'supergroup' = 'group'): Chat {
    const id = -this.seq.group++;
    const chat = { id, type, title } as Chat;
    this.chats.set(id, chat);
    return chat;
  }

  /** A channel the bot is an admin of, with the id Telegram gives channels (-100…). */
  createChannel(id: number, title = 'Test channel'): Chat {
    const chat = { id, type: 'channel', title } as Chat;
    this.chats.set(id, chat);
    return chat;
  }

  /** The chat a `chat_id` parameter names (an id or an `@username`), as Telegram resolves it. */
  resolveChat(chatId: unknown): Chat {
    const chat =
      typeof chatId === 'number'
        ? this.chats.get(chatId)
        : typeof chatId === 'string' && /^-?\d+$/.test(chatId)
          ? this.chats.get(Number(chatId))
          : [...this.chats.values()].find((c) => 'username' in c && `@${c.username}` === chatId);
    if (!chat) throw new FakeApiError(400, 'Bad Request: chat not found');
    if (this.blocked.has(chat.id)) throw new FakeApiError(403, 'Forbidden: bot was blocked by the user');
    return chat;
  }

  private key(chatId: number, messageId: number): string {
    return `${chatId}:${messageId}`;
  }

  /** Stores a message (from a user or from the bot); returns it. */
  store(message: Message, fromBot: boolean): Message {
    this.messages.set(this.key(message.chat.id, message.message_id), { message, deleted: false, fromBot });
    return message;
  }

  /** A new message by the bot in `chat`, with `fields` (text, reply_markup...). */
  botMessage(chat: Chat, fields: Partial<Message>): Message {
    const message = { message_id: this.nextMessageId(), date: this.date(), chat, from: this.bot, ...fields } as Message;
    return this.store(message, true);
  }

  /** The current version of a message; throws Telegram's 400 when it is unknown or deleted. */
  find(chatId: number, messageId: number, action: 'edit' | 'delete' | 'read' = 'read'): Message {
    const stored = this.messages.get(this.key(chatId, messageId));
    if (!stored || stored.deleted) {
      throw new FakeApiError(400, action === 'read' ? 'Bad Request: message not found' : `Bad Request: message to ${action} not found`);
    }
    return stored.message;
  }

  /** Replaces a stored message with its edited version. */
  replace(message: Message): Message {
    const stored = this.messages.get(this.key(message.chat.id, message.message_id));
    if (stored) stored.message = message;
    return message;
  }

  delete(chatId: number, messageId: number): void {
    this.find(chatId, messageId, 'delete');
    this.messages.get(this.key(chatId, messageId))!.deleted = true;
  }

  /** The bot's messages in a chat as they look now (edits applied, deleted ones left out). */
  botMessagesIn(chatId: number): Message[] {
    return [...this.messages.values()]
      .filter((s) => s.fromBot && !s.deleted && s.message.chat.id === chatId)
      .map((s) => s.message)
      .sort((a, b) => a.message_id - b.message_id);
  }

  /** Registers a file under a fresh `file_id`. */
  newFile(bytes?: Buffer, filename?: string): StoredFile {
    const n = this.seq.file++;
    const file: StoredFile = { fileId: `FAKEFILE${n}-${this.bot.id}`, fileUniqueId: `uniq${n}` };
    if (bytes) file.bytes = bytes;
    if (filename) file.filename = filename;
    this.files.set(file.fileId, file);
    return file;
  }
}
