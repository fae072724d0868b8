/**
 * The bot's side of {@link LinkNotifier}: what the link lifecycle tells a user (login
 * cancelled or failed, someone else opened their completion link, link revoked, re-link
 * soon) becomes one private message in the user's language (remembered by {@link UserLocales},
 * English for users not seen since start-up), with a "Connect" button when connecting again
 * is what to do.
 *
 * The link service calls it best effort and logs a failure; this file sends exactly one
 * message per notice and never retries beyond the API transformers (auto-retry on 429).
 */
import type { Api } from 'grammy';
import { t, type TranslationArgs } from '../i18n/translate.ts';
import type { LinkNotice, LinkNotifier } from '../link/ports.ts';
import type { Locale } from '../i18n/locale.ts';
import { connectKeyboard } from './keyboards.ts';
import type { UserLocales } from './userLocales.ts';

/** The message key, its arguments, and whether a Connect button goes with it. */
export function noticeMessage(notice: LinkNotice): { key: string; args?: TranslationArgs; connect: boolean } {
  switch (notice.kind) {
    case 'loginDenied':
      return { key: 'notice-login-denied', connect: false };
    case 'loginFailed':
      if (notice.reason === 'notRegistered') return { key: 'spotify-not-registered', connect: false };
      if (notice.reason === 'rejectedBySpotify') return { key: 'notice-login-failed-rejected', connect: true };
      return { key: 'notice-login-failed-unavailable', connect: false };
    case 'foreignCompletion':
      return { key: 'notice-foreign-completion', connect: false };
    case 'revoked':
      return { key: notice.reason === 'refreshTokenExpired' ? 'notice-revoked-expired' : 'notice-revoked-invalid-grant', connect: true };
    case 'relinkSoon':
      return { key: 'notice-relink-soon', args: { date: new Date(notice.expiresAt) }, connect: true };
  }
}

/** Sends {@link LinkNotice}s through `api` to the user's private chat. */
export function createBotNotifier(deps: { api: Api; locales: UserLocales }): LinkNotifier {
  return {
    async notify(userId, notice) {
      const locale: Locale = deps.locales.localeOf(userId);
      const tr = (key: string, args?: TranslationArgs) => t(locale, key, args);
      const { key, args, connect } = noticeMessage(notice);
      // A private chat's id is the user's id.
      await deps.api.sendMessage(userId, tr(key, args), connect ? { reply_markup: connectKeyboard(tr) } : {});
    },
  };
}

/** Thrown by {@link NotifierRelay} before the bot is connected to it. */
export class NotifierNotConnectedError extends Error {
  readonly code = 'BOT_NOTIFIER_NOT_CONNECTED';
  constructor() {
    super('the bot is not connected to the link notifier yet: call relay.connect(app.notifier)');
    this.name = 'NotifierNotConnectedError';
  }
}

/**
 * Breaks the cycle "the link service needs a notifier, the bot needs the link service":
 * hand the relay to the link service, create the bot, then `relay.connect(app.notifier)`.
 *
 * @example
 * const relay = new NotifierRelay();
 * const links = new LinkService({ ...deps, notifier: relay });
 * const app = createBot({ config, links, spotify, logger });
 * relay.connect(app.notifier);
 */
export class NotifierRelay implements LinkNotifier {
  #target: LinkNotifier | undefined;

  /** Routes every later notice to `target`. */
  connect(target: LinkNotifier): void {
    this.#target = target;
  }

  notify(userId: number, notice: LinkNotice): Promise<void> {
    if (!this.#target) return Promise.reject(new NotifierNotConnectedError());
    return this.#target.notify(userId, notice);
  }
}
