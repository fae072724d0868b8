/**
 * `/start` and `/help`.
 *
 * `/start` alone greets and lists what the bot can do. With a payload (a deep link
 * `t.me/<bot>?start=<payload>` opened in Telegram):
 * - `login` (the inline-mode "Connect Spotify" button, the group "open private chat" button)
 *   → the `/login` screen;
 * - `unlink` → the `/unlink` question;
 * - anything shaped like a completion id (the OAuth callback's redirect), in the private chat
 *   → finishes the login for this user only (see `confirmLogin`).
 * The payload is never logged or echoed: a completion id is single-use but still a secret.
 */
import { COMPLETION_ID } from '../../link/ports.ts';
import type { BotContext } from '../context.ts';
import type { BotFeature } from '../routing.ts';
import type { BotServices } from '../services.ts';
import { confirmLogin, showLogin } from './login.ts';
import { askUnlink } from './unlink.ts';


/** The help text per language and bot name: formatted once, sent often. */
const helpTexts = new Map<string, string>();

function helpText(ctx: BotContext): string {
  const id = `${ctx.locale}:${ctx.me.username}`;
  let text = helpTexts.get(id);
  if (text === undefined) {
    text = ctx.t('help-text', { botUsername: ctx.me.username });
    helpTexts.set(id, text);
  }
  return text;
}

/** The greeting, then the help text. */
function greeting(ctx: BotContext): string {
  return `${ctx.t('start-greeting', { name: ctx.from?.first_name ?? '' })}\n\n${helpText(ctx)}`;
}

/** `/start [payload]` and `/help`. */
export function startFeature(s: BotServices): BotFeature {
  return {
    commands: {
      start: async (ctx, payload) => {
        if (payload === 'login') return showLogin(ctx, s);
        if (payload === 'unlink') return askUnlink(ctx, s);
        if (ctx.chat.type === 'private' && COMPLETION_ID.test(payload)) return confirmLogin(ctx, s, payload);
        await ctx.reply(greeting(ctx));
      },
      help: (ctx) => ctx.reply(helpText(ctx)),
    },
  };
}
