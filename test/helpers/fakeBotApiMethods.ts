/**
 * The fake's non-message methods: identity, long polling, webhook and command settings, chat
 * actions and the answers to callback and inline queries, plus the generic answer for every
 * other method of the contract.
 */
import type { BotCommand, BotCommandScope } from 'grammy/types';
import { messageHandlers, type HandlerInput, type MethodHandler } from './fakeBotApiMessages.ts';
import { loadContract } from './telegramContract.ts';
import { FakeApiError } from './fakeBotApiWorld.ts';

export type { HandlerInput, MethodHandler } from './fakeBotApiMessages.ts';

const chatActions = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice',
  'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);

const expiredQuery = 'Bad Request: query is too old and response timeout expired or query ID is invalid';

function scopeKey(scope: unknown): string {
  return JSON.stringify(scope ?? { type: 'default' });
}

/** Telegram's rule for command names; a wrong one fails the whole `setMyCommands` call. */
function checkCommands(commands: unknown): BotCommand[] {
  const list = Array.isArray(commands) ? (commands as BotCommand[]) : [];
  if (list.length > 100) throw new FakeApiError(400, 'Bad Request: too many commands');
  for (const c of list) {
    if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw new FakeApiError(400, 'Bad Request: BOT_COMMAND_INVALID');
    if (!c.description?.trim()) throw new FakeApiError(400, 'Bad Request: command description is empty');
  }
  return list;
}

function answerQuery({ world, params }: HandlerInput, idField: string): void {
  const id = String(params[idField]);
  if (!world.openQueries.delete(id)) throw new FakeApiError(400, expiredQuery);
}

/** Handlers for every method the fake implements itself, keyed by method name. */
export const builtinHandlers: Record<string, MethodHandler> = {
  ...messageHandlers,
  getMe: ({ world }) => world.bot,
  logOut: () => true,
  close: () => true,
  getUpdates: ({ world, queue, params, signal }) => {
    if (world.webhook) {
      throw new FakeApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    return queue.poll(params, signal);
  },
  setWebhook: ({ world, queue, params }) => {
    const url = String(params.url ?? '');
    if (url === '') {
      world.webhook = undefined;
      return true;
    }
    // Telegram insists on https; the fake takes http too, since the bot under test serves locally.
    if (!/^https?:\/\/[^/]+/.test(url)) throw new FakeApiError(400, 'Bad Request: bad webhook: invalid URL');
    const secret = params.secret_token as string | undefined;
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw new FakeApiError(400, 'Bad Request: secret token contains unallowed characters');
    }
    world.webhook = {
      url,
      ...(secret !== undefined && { secretToken: secret }),
      ...(Array.isArray(params.allowed_updates) && { allowedUpdates: params.allowed_updates as string[] }),
      ...(params.max_connections !== undefined && { maxConnections: Number(params.max_connections) }),
    };
    queue.setAllowed(params.allowed_updates as string[] | undefined);
    if (params.drop_pending_updates) queue.dropPending();
    return true;
  },
  deleteWebhook: ({ world, queue, params }) => {
    world.webhook = undefined;
    if (params.drop_pending_updates) queue.dropPending();
    return true;
  },
  getWebhookInfo: ({ world, queue }) => ({
    url: world.webhook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: queue.size,
    ...(world.webhook?.maxConnections !== undefined && { max_connections: world.webhook.maxConnections }),
    ...(world.webhook?.allowedUpdates && { allowed_updates: world.webhook.allowedUpdates }),
  }),
  setMyCommands: ({ world, params }) => {
    const commands = checkCommands(params.commands);
    const scope = (params.scope ?? { type: 'default' }) as BotCommandScope;
    const languageCode = String(params.language_code ?? '');
    const i = world.commands.findIndex((c) => scopeKey(c.scope) === scopeKey(scope) && c.languageCode === languageCode);
    if (i >= 0) world.commands.splice(i, 1);
    world.commands.push({ scope, languageCode, commands });
    return true;
  },
  getMyCommands: ({ world, params }) =>
    world.commands.find((c) => scopeKey(c.scope) === scopeKey(params.scope) && c.languageCode === String(params.language_code ?? ''))
      ?.commands ?? [],
  deleteMyCommands: ({ world, params }) => {
    const i = world.commands.findIndex((c) => scopeKey(c.scope) === scopeKey(params.scope) && c.languageCode === String(params.language_code ?? ''));
    if (i >= 0) world.commands.splice(i, 1);
    return true;
  },
  sendChatAction: ({ world, params }) => {
    world.resolveChat(params.chat_id);
    if (!chatActions.has(String(params.action))) throw new FakeApiError(400, 'Bad Request: wrong parameter action in request');
    return true;
  },
  answerCallbackQuery: (input) => {
    answerQuery(input, 'callback_query_id');
    return true;
  },
  answerInlineQuery: (input) => {
    const results = (input.params.results ?? []) as { id: string }[];
    if (results.length > 50) throw new FakeApiError(400, 'Bad Request: RESULTS_TOO_MUCH');
    if (new Set(results.map((r) => r.id)).size !== results.length) throw new FakeApiError(400, 'Bad Request: RESULT_ID_DUPLICATE');
    answerQuery(input, 'inline_query_id');
    return true;
  },
};

/**
 * The answer for a contract method the fake does not implement: `true` for methods returning
 * a Boolean, a bare Message for those that return one and name a chat, else `true` as well.
 */
export function genericResult({ method, world, params }: HandlerInput): unknown {
  const returns = loadContract().methods[method]?.returns ?? [];
  if (returns.includes('Boolean') || !returns.includes('Message') || params.chat_id === undefined) return true;
  return world.botMessage(world.resolveChat(params.chat_id), {});
}
