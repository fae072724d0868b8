/**
 * The fake's message methods: send, edit and delete text, photos and audio, with the checks
 * Telegram makes that bots commonly trip over (chat not found, message to edit not found,
 * "message is not modified", editing a caption of a text message, an unknown `file_id`).
 *
 * Entities are not parsed: a message sent with `parse_mode` keeps its markup in `text`.
 */
import type { Chat, InlineKeyboardMarkup, Message } from 'grammy/types';
import type { UploadedFile } from './fakeBotApiBody.ts';
import type { UpdateQueue } from './fakeBotApiUpdates.ts';
import { FakeApiError, type FakeWorld, type StoredFile } from './fakeBotApiWorld.ts';

/** What every method handler receives. Params are decoded (numbers, objects) and validated. */
export interface HandlerInput {
  method: string;
  // Test helpers read params loosely; the contract validation already checked their shape.
  params: Record<string, any>;
  files: Map<string, UploadedFile>;
  world: FakeWorld;
  queue: UpdateQueue;
  /** Aborted when the client gives up on the request. */
  signal: AbortSignal;
}

/** A method implementation: returns the `result` or throws a `FakeApiError`. */
export type MethodHandler = (input: HandlerInput) => unknown;

/** Only an inline keyboard becomes part of the sent message. */
function inlineMarkup(markup: unknown): InlineKeyboardMarkup | undefined {
  return markup && typeof markup === 'object' && 'inline_keyboard' in markup ? (markup as InlineKeyboardMarkup) : undefined;
}

function withMarkup<T extends object>(fields: T, markup: unknown): T & { reply_markup?: InlineKeyboardMarkup } {
  const inline = inlineMarkup(markup);
  return inline ? { ...fields, reply_markup: inline } : fields;
}

function checkReply(world: FakeWorld, chat: Chat, params: Record<string, any>): void {
  const reply = params.reply_parameters as { message_id?: number; allow_sending_without_reply?: boolean } | undefined;
  if (!reply?.message_id) return;
  try {
    world.find(chat.id, reply.message_id);
  } catch {
    if (!reply.allow_sending_without_reply) throw new FakeApiError(400, 'Bad Request: message to be replied not found');
  }
}

/** Resolves a file parameter: an upload (`attach://`), a URL or a known `file_id`. */
function takeFile({ world, params, files }: HandlerInput, field: string): { file: StoredFile; via: 'upload' | 'file_id' | 'url'; upload?: UploadedFile } {
  const value = params[field];
  if (typeof value === 'string' && value.startsWith('attach://')) {
    const upload = files.get(value.slice('attach://'.length));
    if (!upload) throw new FakeApiError(400, `Bad Request: file part ${value} is missing`);
    return { file: world.newFile(upload.bytes, upload.filename), via: 'upload', upload };
  }
  if (typeof value === 'string' && /^https?:\/\//.test(value)) return { file: world.newFile(), via: 'url' };
  const known = typeof value === 'string' ? world.files.get(value) : undefined;
  if (!known) throw new FakeApiError(400, 'Bad Request: wrong file identifier/HTTP URL specified');
  return { file: known, via: 'file_id' };
}

function sendMedia(input: HandlerInput, field: 'audio' | 'photo'): Message {
  const { world, params, method, files } = input;
  const chat = world.resolveChat(params.chat_id);
  checkReply(world, chat, params);
  const { file, via, upload } = takeFile(input, field);
  const { [field]: _file, thumbnail, chat_id: _chat, ...rest } = params;
  const thumb = typeof thumbnail === 'string' && thumbnail.startsWith('attach://') ? files.get(thumbnail.slice(9)) : undefined;
  world.sentFiles.push({
    method, field, via, fileId: file.fileId, params: rest, chatId: chat.id,
    ...(upload && { bytes: upload.bytes, filename: upload.filename }),
    ...(thumb && { thumbnail: thumb }),
  });
  const size = file.bytes ? { file_size: file.bytes.length } : {};
  const media =
    field === 'audio'
      ? {
          audio: {
            file_id: file.fileId, file_unique_id: file.fileUniqueId, duration: Number(params.duration ?? 0),
            mime_type: 'audio/mpeg', ...size,
            ...(params.title !== undefined && { title: String(params.title) }),
            ...(params.performer !== undefined && { performer: String(params.performer) }),
            ...(file.filename && { file_name: file.filename }),
          },
        }
      : { photo: [{ file_id: file.fileId, file_unique_id: file.fileUniqueId, width: 320, height: 320, ...size }] };
  const caption = typeof params.caption === 'string' && params.caption !== '' ? { caption: params.caption } : {};
  return world.botMessage(chat, withMarkup({ ...media, ...caption }, params.reply_markup));
}

/** The message an edit targets; inline messages are not stored, so edits of them answer `true`. */
function editTarget({ world, params }: HandlerInput): Message | undefined {
  if (params.inline_message_id !== undefined) return undefined;
  if (params.chat_id === undefined || params.message_id === undefined) {
    throw new FakeApiError(400, 'Bad Request: message identifier is not specified');
  }
  const message = world.find(world.resolveChat(params.chat_id).id, Number(params.message_id), 'edit');
  if (message.from?.id !== world.bot.id) throw new FakeApiError(400, "Bad Request: message can't be edited");
  return message;
}

/**
 * Replaces `old` with its edit: `changes` applied, `drop` fields removed, and the inline keyboard
 * replaced by `markup` (an edit without `reply_markup` removes the keyboard, as in Telegram).
 */
function applyEdit(world: FakeWorld, old: Message, changes: Partial<Message>, markup: unknown, drop: string[] = []): Message {
  const rest: Record<string, unknown> = { ...old };
  for (const key of ['reply_markup', ...drop]) delete rest[key];
  const next = withMarkup({ ...rest, ...changes }, markup) as Record<string, unknown>;
  const before = old as unknown as Record<string, unknown>;
  const same = (f: string): boolean => JSON.stringify(before[f] ?? null) === JSON.stringify(next[f] ?? null);
  if (['text', 'caption', 'reply_markup'].every(same)) {
    throw new FakeApiError(
      400,
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
  }
  return world.replace({ ...next, edit_date: world.date() } as unknown as Message);
}

/** Handlers for the message methods, keyed by method name. */
export const messageHandlers: Record<string, MethodHandler> = {
  sendMessage: ({ world, params }) => {
    const chat = world.resolveChat(params.chat_id);
    checkReply(world, chat, params);
    const entities = Array.isArray(params.entities) ? { entities: params.entities } : {};
    return world.botMessage(chat, withMarkup({ text: String(params.text), ...entities }, params.reply_markup));
  },
  sendPhoto: (input) => sendMedia(input, 'photo'),
  sendAudio: (input) => sendMedia(input, 'audio'),
  editMessageText: (input) => {
    const old = editTarget(input);
    if (!old) return true;
    if (old.text === undefined) throw new FakeApiError(400, 'Bad Request: there is no text in the message to edit');
    const { text, entities, reply_markup } = input.params;
    return applyEdit(input.world, old, { text: String(text), ...(Array.isArray(entities) && { entities }) }, reply_markup, ['entities']);
  },
  editMessageCaption: (input) => {
    const old = editTarget(input);
    if (!old) return true;
    if (old.text !== undefined) throw new FakeApiError(400, 'Bad Request: there is no caption in the message to edit');
    const caption = typeof input.params.caption === 'string' ? input.params.caption : '';
    return applyEdit(input.world, old, caption ? { caption } : {}, input.params.reply_markup, ['caption']);
  },
  editMessageReplyMarkup: (input) => {
    const old = editTarget(input);
    if (!old) return true;
    return applyEdit(input.world, old, {}, input.params.reply_markup);
  },
  deleteMessage: ({ world, params }) => {
    world.delete(world.resolveChat(params.chat_id).id, Number(params.message_id));
    return true;
  },
};
