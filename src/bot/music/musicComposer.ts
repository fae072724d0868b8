/**
 * The music composer: messages with music links (in the text, a caption or hidden behind a
 * word as a `text_link`), and the pipeline's own buttons (cancel, pick a candidate, pick an
 * album track). A message without music links goes on to the next handler.
 */
import { Composer } from 'grammy';
import type { MessageEntity } from 'grammy/types';
import type { BotContext } from '../context.ts';
import { parseMusicData } from './callbackData.ts';
import type { ChoiceStore } from './choiceStore.ts';
import type { MusicRequests, RequestOrigin } from './musicRequests.ts';
import type { MusicService } from '../../music/musicService.ts';

/** What the composer needs. */
export interface MusicComposerDeps {
  readonly service: MusicService;
  readonly requests: MusicRequests;
  readonly choices: ChoiceStore;
}

/** The origin of a request made through `ctx`; undefined without a user. */
export function originOf(ctx: BotContext, replyTo?: number): RequestOrigin | undefined {
  const userId = ctx.from?.id;
  if (userId === undefined) return undefined;
  // Inline messages have no chat: the audio goes to the user's private chat with the bot.
  const chatId = ctx.chat?.id ?? userId;
  return { api: ctx.api, chatId, userId, t: ctx.t, ...(replyTo !== undefined && { replyTo }) };
}

function linkedUrls(entities: readonly MessageEntity[] | undefined): string[] {
  return (entities ?? []).flatMap((e) => (e.type === 'text_link' ? [e.url] : []));
}

/** Builds the composer. */
export function createMusicComposer(d: MusicComposerDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on(['message:text', 'message:caption'], async (ctx, next) => {
    const msg = ctx.message;
    const text = msg.text ?? msg.caption ?? '';
    const parsed = d.service.parse(text, linkedUrls(msg.entities ?? msg.caption_entities));
    if (parsed.links.length === 0) {
      // Only a private chat hears about unsupported music links: in groups people share all sorts.
      if (parsed.unsupported.length === 0 || ctx.chat.type !== 'private') return next();
      const hosts = [...new Set(parsed.unsupported.map((u) => u.host))].join(', ');
      await ctx.reply(ctx.t('music-unsupported-links', { hosts }), { reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true } });
      return;
    }
    const origin = originOf(ctx, msg.message_id);
    if (!origin) return next();
    const limit = d.service.queue.perUserLimit;
    if (parsed.links.length > limit) {
      await ctx.reply(ctx.t('music-too-many-links', { count: parsed.links.length, taken: limit }));
    }
    for (const link of parsed.links.slice(0, limit)) await d.requests.start(origin, link);
  });

  composer.on('callback_query:data', async (ctx, next) => {
    const action = parseMusicData(ctx.callbackQuery.data);
    if (!action) return next();
    if (action.kind === 'cancel') {
      const cancelled = d.service.queue.cancel(action.jobId, ctx.from.id);
      await ctx.answerCallbackQuery({ text: ctx.t(cancelled ? 'music-cancel-accepted' : 'music-cancel-gone') });
      return;
    }
    const choice = d.choices.get(action.choiceId);
    const origin = originOf(ctx);
    const entry = choice?.kind === 'candidates' ? choice.candidates[action.index] : choice?.links[action.index];
    if (!choice || !entry || !origin) {
      await ctx.answerCallbackQuery({ text: ctx.t('music-choice-expired'), show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery({ text: ctx.t('music-choice-started') });
    if (choice.kind === 'candidates') await d.requests.start(origin, choice.link, { candidate: choice.candidates[action.index]!, track: choice.track });
    else await d.requests.start(origin, choice.links[action.index]!);
  });

  return composer;
}
