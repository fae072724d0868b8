/**
 * The grammY context every composer of the bot sees: grammY's own `Context` plus the
 * user's locale and a translator bound to it (set by the i18n middleware first thing).
 */
import type { Context } from 'grammy';
import type { Locale } from '../i18n/locale.ts';
import type { TranslationArgs } from '../i18n/translate.ts';

/** What the i18n middleware adds to the context. */
export interface I18nFlavor {
  /** `ru` for ru/uk/be/kk language codes, `en` otherwise. */
  locale: Locale;
  /** The message `key` of the locale files, in the user's locale. */
  t(key: string, args?: TranslationArgs): string;
}

/** The bot's context type. */
export type BotContext = Context & I18nFlavor;
