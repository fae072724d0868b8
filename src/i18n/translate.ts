/**
 * The translation core: every user-visible text of the bot and of its HTTP pages comes from
 * `src/i18n/locales/<locale>.ftl` (Fluent syntax) through {@link t}.
 *
 * Rules (see docs/i18n.md):
 * - Keys are kebab-case and prefixed by the feature (`callback-…`, `http-error-…`, `now-…`).
 *   Both files define the same keys with the same variables; `test/i18n/locales.test.ts`
 *   fails otherwise, so add every new key to `en.ftl` **and** `ru.ftl`.
 * - A key missing in Russian falls back to English (a safety net the parity test keeps unused);
 *   a key missing in English too throws {@link MissingTranslationError}, and a message whose
 *   variables were not all passed throws {@link TranslationFormatError}. Both are programmer
 *   errors that the first test touching the call site reveals.
 * - The result is plain text: escape it for the place it goes (HTML page, Telegram HTML).
 *   No Unicode isolation marks are inserted around variables.
 *
 * @example
 * t('ru', 'callback-denied-heading');                          // "Вход отменён"
 * t(locale, 'callback-completed-text', { botUsername: 'MyBot' });
 */
import { readdirSync, readFileSync } from 'node:fs';
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import { DEFAULT_LOCALE, LOCALES, type Locale } from './locale.ts';

/** Values a message may interpolate: numbers and dates are formatted for the locale. */
export type TranslationArgs = Readonly<Record<string, string | number | Date>>;

/** Thrown by {@link t} when no locale file defines `key`. */
export class MissingTranslationError extends Error {
  readonly code = 'I18N_MISSING_KEY';
  constructor(readonly key: string) {
    super(`No locale file defines the message "${key}": add it to src/i18n/locales/en.ftl and ru.ftl.`);
    this.name = 'MissingTranslationError';
  }
}

/** Thrown by {@link t} when a message cannot be formatted (usually a variable not passed). */
export class TranslationFormatError extends Error {
  readonly code = 'I18N_FORMAT_FAILED';
  constructor(
    readonly key: string,
    readonly locale: Locale,
    reason: string,
  ) {
    // `reason` comes from Fluent and names the variable, never its value.
    super(`Message "${key}" (${locale}) could not be formatted: ${reason}. Pass every variable it uses.`);
    this.name = 'TranslationFormatError';
  }
}

/** The path of a locale file, for tools and tests that read the source. */
export function localeFileUrl(locale: Locale): URL {
  return new URL(`./locales/${locale}.ftl`, import.meta.url);
}

/** Formats messages of one set of locale sources; {@link t} is the instance over the shipped files. */
export interface Translator {
  t(locale: Locale, key: string, args?: TranslationArgs): string;
  has(locale: Locale, key: string): boolean;
}

/**
 * Builds a {@link Translator} from Fluent sources, one per locale. The app uses {@link t};
 * this exists for tests and tools that need other sources. Throws when a source defines a
 * key twice (a merge mistake better caught at start-up than shown to users).
 */
export function createTranslator(sources: Readonly<Record<Locale, string>>): Translator {
  const bundles = Object.fromEntries(
    LOCALES.map((locale) => {
      const bundle = new FluentBundle(locale, { useIsolating: false });
      const errors = bundle.addResource(new FluentResource(sources[locale]));
      if (errors.length > 0) throw new Error(`Locale ${locale}: ${errors.map((e) => e.message).join('; ')}`);
      return [locale, bundle];
    }),
  ) as Record<Locale, FluentBundle>;

  return {
    has: (locale, key) => bundles[locale].hasMessage(key),
    t(locale, key, args) {
      let used = locale;
      let message = bundles[locale].getMessage(key);
      if (message?.value == null && locale !== DEFAULT_LOCALE) {
        used = DEFAULT_LOCALE;
        message = bundles[DEFAULT_LOCALE].getMessage(key);
      }
      if (message?.value == null) throw new MissingTranslationError(key);
      const errors: Error[] = [];
      const text = bundles[used].formatPattern(message.value, args as Record<string, FluentVariable> | undefined, errors);
      if (errors.length > 0) throw new TranslationFormatError(key, used, errors.map((e) => e.message).join('; '));
      return text;
    },
  };
}

/**
 * The source text of a shipped locale: `<locale>.ftl` followed by every feature file
 * `*.<locale>.ftl` of the same folder (e.g. `bot.en.ftl`), in name order. Feature files let
 * each area own its texts; a key defined twice across them is refused at load.
 */
export function readLocaleSource(locale: Locale): string {
  const dir = new URL('./locales/', import.meta.url);
  const extra = readdirSync(dir)
    .filter((name) => name.endsWith(`.${locale}.ftl`))
    .sort()
    .map((name) => readFileSync(new URL(name, dir), 'utf8'));
  return [readFileSync(localeFileUrl(locale), 'utf8'), ...extra].join('\n');
}

const shipped = createTranslator(
  Object.fromEntries(LOCALES.map((l) => [l, readLocaleSource(l)])) as Record<Locale, string>,
);

/** True when `locale`'s own file defines `key` (no fallback). */
export function hasTranslation(locale: Locale, key: string): boolean {
  return shipped.has(locale, key);
}

/**
 * Formats the message `key` in `locale` with `args`. Falls back to English when the Russian
 * file lacks the key; throws {@link MissingTranslationError} when no file has it and
 * {@link TranslationFormatError} when a variable is missing.
 */
export function t(locale: Locale, key: string, args?: TranslationArgs): string {
  return shipped.t(locale, key, args);
}
