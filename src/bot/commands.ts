/**
 * The command menu Telegram shows next to the input field, set with `setMyCommands` at
 * start-up: English as the default and for `en`, Russian for `ru`, `uk`, `be` and `kk` (the
 * languages the bot answers in Russian). A failure is logged and start-up goes on: the menu
 * is a convenience, the commands work without it.
 */
import type { Api } from 'grammy';
import type { LanguageCode } from 'grammy/types';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/translate.ts';
import type { Logger } from '../log.ts';
import { loggableError } from './errorHandler.ts';

/** Every command, in menu order. */
export const BOT_COMMANDS = ['start', 'help', 'search', 'login', 'unlink', 'now', 'recent', 'lyrics'] as const;

/** The commands that need Spotify login; `/lyrics` needs LRCLIB (it also works on a replied-to audio without Spotify). */
const NEEDS_SPOTIFY: ReadonlySet<string> = new Set(['login', 'unlink', 'now', 'recent']);

/** Which optional parts of the bot are on. */
export interface MenuFeatures {
  readonly spotify: boolean;
  readonly lyrics: boolean;
  /** The music pipeline (`/search` finds songs by name and sends them). */
  readonly search: boolean;
}

/** Telegram language codes per menu language (`undefined`: the default for everyone else). */
const MENUS: ReadonlyArray<{ locale: Locale; languageCode?: LanguageCode }> = [
  { locale: 'en' },
  { locale: 'en', languageCode: 'en' },
  { locale: 'ru', languageCode: 'ru' },
  { locale: 'ru', languageCode: 'uk' },
  { locale: 'ru', languageCode: 'be' },
  { locale: 'ru', languageCode: 'kk' },
];

/** The menu in one language: `/start` and `/help`, `/search` with music, the Spotify commands with Spotify, `/lyrics` with lyrics. */
export function commandMenu(locale: Locale, features: MenuFeatures): { command: string; description: string }[] {
  const names = BOT_COMMANDS.filter((c) => (c === 'lyrics' ? features.lyrics : c === 'search' ? features.search : NEEDS_SPOTIFY.has(c) ? features.spotify : true));
  return names.map((command) => ({ command, description: t(locale, `command-${command}`) }));
}

/** Sets every menu within `timeoutMs`; resolves with the number that failed (each failure is logged). */
export async function registerCommands(api: Api, logger: Logger, features: MenuFeatures, timeoutMs = 15_000): Promise<number> {
  // Bounded: with Telegram unreachable, auto-retry would hold start-up here indefinitely.
  // grammY types its signal with the abort-controller polyfill; Node's own is what it uses.
  const signal = AbortSignal.timeout(timeoutMs) as unknown as Parameters<Api['setMyCommands']>[2];
  const results = await Promise.allSettled(
    MENUS.map(({ locale, languageCode }) =>
      api.setMyCommands(commandMenu(locale, features), languageCode ? { language_code: languageCode } : undefined, signal),
    ),
  );
  let failed = 0;
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') return;
    failed++;
    logger.warn({ err: loggableError(r.reason), languageCode: MENUS[i]?.languageCode ?? 'default' }, 'setMyCommands failed; the menu may be out of date');
  });
  return failed;
}
