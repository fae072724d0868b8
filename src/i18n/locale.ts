/**
 * Which of our two languages a user gets.
 *
 * The bot speaks Russian to users whose Telegram client (or browser) is set to Russian or a
 * language whose speakers usually read Russian (Ukrainian, Belarusian, Kazakh) and English to
 * everyone else. These functions never throw: any input, including garbage, yields a locale.
 *
 * @example
 * pickLocale(ctx.from?.language_code);                       // 'ru' for 'uk', 'ru-RU', …
 * pickLocaleFromAcceptLanguage(req.headers['accept-language']); // 'ru' for 'de, ru;q=0.8'
 */

/** The languages we ship locale files for. */
export const LOCALES = ['en', 'ru'] as const;

/** One of {@link LOCALES}. */
export type Locale = (typeof LOCALES)[number];

/** What unknown or missing languages get. */
export const DEFAULT_LOCALE: Locale = 'en';

/** Primary language subtags answered in Russian. */
const RUSSIAN_READERS: ReadonlySet<string> = new Set(['ru', 'uk', 'be', 'kk']);

/** True when `value` is one of {@link LOCALES}; narrows the type. */
export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'ru';
}

/**
 * Maps a language tag (Telegram's `language_code`, a BCP 47 tag such as `ru-RU` or `uk_UA`)
 * to a {@link Locale}: `'ru'` for ru, uk, be and kk in any region, `'en'` otherwise.
 */
export function pickLocale(languageCode?: string | null): Locale {
  return languageOf(languageCode) ?? DEFAULT_LOCALE;
}

/** The locale a tag maps to, or `undefined` for tags we have no special language for. */
function languageOf(tag: string | null | undefined): Locale | undefined {
  if (typeof tag !== 'string') return undefined;
  const primary = tag.trim().toLowerCase().split(/[-_]/, 1)[0] ?? '';
  if (RUSSIAN_READERS.has(primary)) return 'ru';
  if (primary === 'en') return 'en';
  return undefined;
}

/** Headers longer than this are cut before parsing: a browser sends a few dozen bytes. */
const MAX_ACCEPT_LANGUAGE = 1024;
const MAX_RANGES = 32;

/**
 * Picks a locale from an HTTP `Accept-Language` header, honouring q-values: the supported
 * language with the highest weight wins (ties go to the earlier entry), `q=0` means "not
 * acceptable", `*` stands for our default. `'de, ru;q=0.8'` gives `'ru'` (German is not on
 * offer), `'ru;q=0.5, en'` gives `'en'`, a missing or unparsable header gives `'en'`.
 */
export function pickLocaleFromAcceptLanguage(header?: string | readonly string[] | null): Locale {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (typeof text !== 'string' || text === '') return DEFAULT_LOCALE;
  let best: Locale | undefined;
  let bestQ = 0;
  for (const range of text.slice(0, MAX_ACCEPT_LANGUAGE).split(',', MAX_RANGES)) {
    const [tagPart, ...params] = range.split(';');
    const tag = tagPart?.trim() ?? '';
    const locale = tag === '*' ? DEFAULT_LOCALE : languageOf(tag);
    if (locale === undefined) continue;
    const q = qValue(params);
    if (q > bestQ) {
      best = locale;
      bestQ = q;
    }
  }
  return best ?? DEFAULT_LOCALE;
}

/** The weight of one range: 1 without a `q` parameter, 0 for a malformed one. */
function qValue(params: readonly string[]): number {
  for (const p of params) {
    const m = /^\s*q\s*=\s*(.*?)\s*$/i.exec(p);
    if (m) {
      const raw = m[1] ?? '';
      const q = /^[01](\.\d{0,3})?$/.test(raw) ? Number(raw) : NaN;
      return q >= 0 && q <= 1 ? q : 0;
    }
  }
  return 1;
}
