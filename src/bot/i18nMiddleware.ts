/**
 * The bot's languages: {@link applyLocale} picks the user's language from Telegram's
 * `language_code` (Russian for ru, uk, be and kk; English otherwise), binds the translator to
 * it as `ctx.t`, and remembers it for later notifications. It runs first for every update
 * (inside the prelude of `createBot.ts`).
 *
 * An update without `language_code` (Telegram omits it sometimes) keeps the language the
 * user was last seen with.
 */
import type { MiddlewareFn } from 'grammy';
import { pickLocale, type Locale } from '../i18n/locale.ts';
import { t, type TranslationArgs } from '../i18n/translate.ts';
import type { BotContext } from './context.ts';
import type { UserLocales } from './userLocales.ts';

/** Sets `ctx.locale` and `ctx.t`; records the locale in `locales`. */
export function applyLocale(ctx: BotContext, locales: UserLocales): void {
  const from = ctx.from;
  const code = from?.language_code;
  const locale = code === undefined && from ? locales.localeOf(from.id) : pickLocale(code);
  if (from) locales.remember(from.id, locale);
  ctx.locale = locale;
  ctx.t = translatorFor(locale);
}

/**
 * Messages without variables are formatted once per language: they never change, and
 * Fluent's formatting is the larger part of answering `/help` (bench/bot.ts).
 */
const plain = new Map<string, string>();

function cached(locale: Locale, key: string, args: TranslationArgs | undefined): string {
  if (args !== undefined) return t(locale, key, args);
  const id = `${locale}:${key}`;
  let text = plain.get(id);
  if (text === undefined) {
    text = t(locale, key);
    plain.set(id, text);
  }
  return text;
}

const translateEn = (key: string, args?: TranslationArgs) => cached('en', key, args);
const translateRu = (key: string, args?: TranslationArgs) => cached('ru', key, args);

/** The `ctx.t` of `locale`, for texts sent outside an update (a download worker's). */
export const translatorFor = (locale: Locale): ((key: string, args?: TranslationArgs) => string) => (locale === 'ru' ? translateRu : translateEn);

/** {@link applyLocale} as a middleware of its own (for bots built from parts, and tests). */
export function i18nMiddleware(locales: UserLocales): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    applyLocale(ctx, locales);
    return next();
  };
}
