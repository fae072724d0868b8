/**
 * The language each Telegram user last wrote in, kept in memory so that a notification the
 * link lifecycle sends later (revoked, relink soon, a foreign completion) reaches the user in
 * their language. After a restart a user reads English until they next write to the bot.
 *
 * Bounded: the least recently seen users are forgotten first, so a flood of strangers cannot
 * grow memory without limit.
 */
import { DEFAULT_LOCALE, type Locale } from '../i18n/locale.ts';

/** In-memory map of Telegram user id → {@link Locale}, least recently seen evicted first. */
export class UserLocales {
  readonly #map = new Map<number, Locale>();

  constructor(readonly capacity = 100_000) {}

  /** Records what `userId` speaks now; cheap when nothing changed. */
  remember(userId: number, locale: Locale): void {
    if (this.#map.get(userId) === locale) return;
    this.#map.delete(userId);
    this.#map.set(userId, locale);
    if (this.#map.size > this.capacity) this.#map.delete(this.#map.keys().next().value!);
  }

  /** The remembered locale, or `undefined` for a user not seen since start-up. */
  get(userId: number): Locale | undefined {
    return this.#map.get(userId);
  }

  /** The remembered locale, or the default (English). */
  localeOf(userId: number): Locale {
    return this.#map.get(userId) ?? DEFAULT_LOCALE;
  }
}
