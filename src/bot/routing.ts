/**
 * How updates reach the features of the bot (`src/bot/composers/` and the music feature of
 * `src/bot/musicChat/`): each feature declares the commands, buttons (callback kinds), inline
 * queries and other messages it answers as a {@link BotFeature}, and {@link routeFeatures}
 * turns the list into **one** grammY middleware that finds the handler with a map lookup.
 *
 * Why not `composer.command()` / `.on()` per feature: each of those builds a new `Composer`
 * per update and every feature adds middleware layers; with a dozen of them the bot handled
 * under a quarter of the updates a bare grammY bot does (`bench/bot.ts`). Anything no
 * feature claims goes on to the next middleware (the fallback).
 *
 * @example
 * const now: BotFeature = { commands: { now: (ctx) => showNow(ctx) } };
 * bot.use(routeFeatures([startFeature(s), now]));
 */
import type { Context, NextFunction } from 'grammy';
import type { CallbackQuery, Chat, ChosenInlineResult, InlineQuery, Message, User } from 'grammy/types';
import { parseCallbackData, type CallbackAction } from './callbackData.ts';
import type { BotContext } from './context.ts';

/** The context of a command: a text message in a chat, from a user. */
export type CommandContext = BotContext & { message: Message.TextMessage; chat: Chat; from: User };
/** The context of a press on one of our buttons. */
export type CallbackContext = BotContext & { callbackQuery: CallbackQuery & { data: string }; from: User };
/** The context of a message with a text or a caption that no command claimed. */
export type MessageContext = BotContext & { message: Message; chat: Chat };
/** The context of an inline query. */
export type InlineContext = BotContext & { inlineQuery: InlineQuery; from: User };
/** The context of a chosen inline result (sent only with BotFather's inline feedback on). */
export type ChosenContext = BotContext & { chosenInlineResult: ChosenInlineResult; from: User };

type CallbackHandlers = {
  readonly [K in CallbackAction['kind']]?: (ctx: CallbackContext, action: Extract<CallbackAction, { kind: K }>) => unknown;
};

/** What one feature answers. */
export interface BotFeature {
  /** Handlers by command name (lower case, without `/`); they get the text after the command. */
  readonly commands?: Readonly<Record<string, (ctx: CommandContext, payload: string) => unknown>>;
  /** Handlers by kind of our callback data (see `callbackData.ts`). */
  readonly callbacks?: CallbackHandlers;
  readonly inlineQuery?: (ctx: InlineContext) => unknown;
  readonly chosenInlineResult?: (ctx: ChosenContext) => unknown;
  /**
   * Messages with a text or a caption that no command claimed (music links). Resolves
   * `false` when the message is not for this feature: it then goes on to the fallback.
   */
  readonly messages?: (ctx: MessageContext) => Promise<boolean>;
}

/** Thrown at start-up when two features claim the same command, button kind or inline mode. */
export class FeatureConflictError extends Error {
  readonly code = 'BOT_FEATURE_CONFLICT';
  constructor(what: string) {
    super(`two bot features claim ${what}`);
    this.name = 'FeatureConflictError';
  }
}

/**
 * The command of a message addressed to this bot: its name (lower case) and the text after
 * it. `/cmd@otherbot` is not ours; `/cmd@ourbot` is (as clients send it in groups).
 */
export function commandOf(ctx: Context): { name: string; payload: string } | undefined {
  const message = ctx.message;
  const text = message?.text;
  if (text === undefined || text.charCodeAt(0) !== 47 /* "/" */) return undefined;
  const entity = message!.entities?.[0];
  if (entity?.type !== 'bot_command' || entity.offset !== 0) return undefined;
  const token = text.slice(1, entity.length);
  const at = token.indexOf('@');
  if (at !== -1 && token.slice(at + 1).toLowerCase() !== ctx.me.username.toLowerCase()) return undefined;
  return { name: (at === -1 ? token : token.slice(0, at)).toLowerCase(), payload: text.slice(entity.length).trim() };
}

/** One middleware dispatching to `features`; throws {@link FeatureConflictError} on a double claim. */
export function routeFeatures(features: readonly BotFeature[]): (ctx: BotContext, next: NextFunction) => Promise<void> {
  const commands = new Map<string, (ctx: CommandContext, payload: string) => unknown>();
  const callbacks = new Map<string, (ctx: CallbackContext, action: CallbackAction) => unknown>();
  let inline: ((ctx: InlineContext) => unknown) | undefined;
  let messages: ((ctx: MessageContext) => Promise<boolean>) | undefined;
  let chosen: ((ctx: ChosenContext) => unknown) | undefined;
  for (const feature of features) {
    for (const [name, handler] of Object.entries(feature.commands ?? {})) {
      if (commands.has(name)) throw new FeatureConflictError(`/${name}`);
      commands.set(name, handler);
    }
    for (const [kind, handler] of Object.entries(feature.callbacks ?? {})) {
      if (callbacks.has(kind)) throw new FeatureConflictError(`the ${kind} buttons`);
      callbacks.set(kind, handler as (ctx: CallbackContext, action: CallbackAction) => unknown);
    }
    if (feature.inlineQuery) {
      if (inline) throw new FeatureConflictError('inline queries');
      inline = feature.inlineQuery;
    }
    if (feature.chosenInlineResult) {
      if (chosen) throw new FeatureConflictError('chosen inline results');
      chosen = feature.chosenInlineResult;
    }
    if (feature.messages) {
      if (messages) throw new FeatureConflictError('plain messages');
      messages = feature.messages;
    }
  }
  return async (ctx, next) => {
    if (ctx.message) {
      const command = commandOf(ctx);
      const handler = command && ctx.from ? commands.get(command.name) : undefined;
      if (handler) return void (await handler(ctx as CommandContext, command!.payload));
      const { text, caption } = ctx.message;
      if (messages && (text !== undefined || caption !== undefined) && (await messages(ctx as MessageContext))) return;
    } else if (ctx.callbackQuery) {
      const action = parseCallbackData(ctx.callbackQuery.data);
      const handler = action ? callbacks.get(action.kind) : undefined;
      if (handler) return void (await handler(ctx as CallbackContext, action!));
    } else if (ctx.inlineQuery && inline) {
      return void (await inline(ctx as InlineContext));
    } else if (ctx.chosenInlineResult && chosen) {
      return void (await chosen(ctx as ChosenContext));
    }
    return next();
  };
}
