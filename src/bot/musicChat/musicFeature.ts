/**
 * The music feature of the bot, routed like the others (`../routing.ts`): messages with
 * music links (in the text, a caption or hidden behind a word as a `text_link`), and the
 * pipeline's own buttons (cancel, pick a candidate, pick an album track; the `music` kind of
 * `../callbackData.ts`). A private text that is neither a link nor a command, and `/search`
 * (`/s`) anywhere, is a text search (`searchChat.ts`), whose result buttons are choices like
 * an album's tracks. Any other message without music links goes on to the fallback.
 */
import type { MessageEntity } from 'grammy/types';
import type { BotContext } from '../context.ts';
import type { BotFeature, CallbackContext, CommandContext, MessageContext } from '../routing.ts';
import type { MusicAction } from './callbackData.ts';
import type { ChoiceStore } from './choiceStore.ts';
import { answerSearch, type SearchChatDeps } from './searchChat.ts';
import type { MusicRequests, RequestOrigin } from './musicRequests.ts';
import type { SendAll } from './sendAll.ts';
import { deliverChosen, type InlineSearchDeps } from './inlineSearch.ts';
import type { MusicService } from '../../music/musicService.ts';
import type { MusicJobs } from './musicJobs.ts';

/** What the feature needs. */
export interface MusicFeatureDeps {
  readonly service: MusicService;
  readonly jobs: MusicJobs;
  readonly requests: MusicRequests;
  readonly choices: ChoiceStore;
  /** Searches per user per minute (see `searchChat.ts`). */
  readonly searchRate: SearchChatDeps['rate'];
  readonly sendAll: SendAll;
  readonly inline: InlineSearchDeps;
}

/** The origin of a request made through `ctx`; undefined without a user. */
export function originOf(ctx: BotContext, replyTo?: number): RequestOrigin | undefined {
  const userId = ctx.from?.id;
  if (userId === undefined) return undefined;
  // Inline messages have no chat: the audio goes to the user's private chat with the bot.
  const chatId = ctx.chat?.id ?? userId;
  return { api: ctx.api, chatId, userId, locale: ctx.locale, t: ctx.t, ...(replyTo !== undefined && { replyTo }) };
}

function linkedUrls(entities: readonly MessageEntity[] | undefined): string[] {
  return (entities ?? []).flatMap((e) => (e.type === 'text_link' ? [e.url] : []));
}

/**
 * A message with music links: each one (up to the user's queue limit) becomes a request.
 * False when the message holds none, so the fallback answers it.
 */
async function onMessage(d: MusicFeatureDeps, ctx: MessageContext): Promise<boolean> {
  const msg = ctx.message;
  const text = msg.text ?? msg.caption ?? '';
  const parsed = d.service.parse(text, linkedUrls(msg.entities ?? msg.caption_entities));
  if (parsed.links.length === 0) {
    // Only a private chat hears about unsupported music links: in groups people share all sorts.
    if (parsed.unsupported.length === 0) return ctx.chat.type === 'private' ? searchByText(d, ctx) : false;
    if (ctx.chat.type !== 'private') return false;
    const hosts = [...new Set(parsed.unsupported.map((u) => u.host))].join(', ');
    await ctx.reply(ctx.t('music-unsupported-links', { hosts }), { reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true } });
    return true;
  }
  const origin = originOf(ctx, msg.message_id);
  if (!origin) return false;
  const limit = d.jobs.perUserLimit;
  if (parsed.links.length > limit) {
    await ctx.reply(ctx.t('music-too-many-links', { count: parsed.links.length, taken: limit }));
  }
  for (const [i, link] of parsed.links.slice(0, limit).entries()) await d.requests.start(origin, link, undefined, `m:${ctx.chat.id}:${msg.message_id}:${i}`);
  return true;
}

/**
 * A private text without links: a song's name to search. Not a caption (a photo is not a
 * query) and not a command we do not know (the fallback answers those).
 */
async function searchByText(d: MusicFeatureDeps, ctx: MessageContext): Promise<boolean> {
  const text = ctx.message.text;
  if (text === undefined || text.startsWith('/') || !ctx.from) return false;
  await answerSearch({ service: d.service, choices: d.choices, rate: d.searchRate }, ctx as MessageContext & { from: NonNullable<MessageContext['from']> }, text, ctx.message.message_id);
  return true;
}

/** `/search <words>` and `/s <words>`, in any chat. */
async function onSearchCommand(d: MusicFeatureDeps, ctx: CommandContext, payload: string): Promise<void> {
  await answerSearch({ service: d.service, choices: d.choices, rate: d.searchRate }, ctx, payload, ctx.message.message_id);
}

/**
 * A press on one of the pipeline's buttons: cancel a request, take an entry of a stored
 * choice, send a whole album or playlist, or stop that.
 */
async function onButton(d: MusicFeatureDeps, ctx: CallbackContext, action: MusicAction): Promise<void> {
  if (action.kind === 'cancel') {
    const cancelled = await d.jobs.cancel(action.jobId, ctx.from.id);
    await ctx.answerCallbackQuery({ text: ctx.t(cancelled ? 'music-cancel-accepted' : 'music-cancel-gone') });
    return;
  }
  if (action.kind === 'stopAll') {
    await ctx.answerCallbackQuery({ text: ctx.t((await d.sendAll.stop(ctx.from.id)) ? 'music-cancel-accepted' : 'music-cancel-gone') });
    return;
  }
  if (action.kind === 'sendAll') return onSendAll(d, ctx, action.choiceId);
  const choice = await d.choices.get(action.choiceId);
  const origin = originOf(ctx);
  const entry = choice?.kind === 'candidates' ? choice.candidates[action.index] : choice?.links[action.index];
  if (!choice || !entry || !origin) {
    await ctx.answerCallbackQuery({ text: ctx.t('music-choice-expired'), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery({ text: ctx.t('music-choice-started') });
  const key = `c:${ctx.callbackQuery.id}`;
  if (choice.kind === 'candidates') await d.requests.start(origin, choice.link, { choiceId: action.choiceId, index: action.index }, key);
  else await d.requests.start(origin, choice.links[action.index]!, undefined, key);
}

/** "Send all" under a list: one run per user at a time. */
async function onSendAll(d: MusicFeatureDeps, ctx: CallbackContext, choiceId: string): Promise<void> {
  const choice = await d.choices.get(choiceId);
  const origin = originOf(ctx);
  if (choice?.kind !== 'collection' || !origin) {
    await ctx.answerCallbackQuery({ text: ctx.t('music-choice-expired'), show_alert: true });
    return;
  }
  const tracks = choice.links.map((link, i) => ({ link, name: choice.names?.[i] ?? link.url }));
  const started = await d.sendAll.start(origin, tracks);
  await ctx.answerCallbackQuery({ text: ctx.t(started ? 'music-choice-started' : 'music-send-all-busy'), show_alert: !started });
}

/** The feature, for `routeFeatures`. */
export function musicFeature(d: MusicFeatureDeps): BotFeature {
  return {
    messages: (ctx) => onMessage(d, ctx),
    commands: { search: (ctx, payload) => onSearchCommand(d, ctx, payload), s: (ctx, payload) => onSearchCommand(d, ctx, payload) },
    callbacks: { music: (ctx, { action }) => onButton(d, ctx, action) },
    chosenInlineResult: (ctx) => deliverChosen(d.inline, ctx),
  };
}
