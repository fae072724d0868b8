/**
 * The bot's texts: every key the bot's code uses is defined in both `bot.en.ftl` and
 * `bot.ru.ftl` with the same variables, no key there is left unused, and every message
 * formats in both languages.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BOT_COMMANDS } from '../../src/bot/commands.ts';
import { t } from '../../src/i18n/translate.ts';
import { ftlCatalog } from '../helpers/ftlCatalog.ts';

const root = new URL('../../', import.meta.url).pathname;
const Keys = suite('bot locale files');

function catalog(locale: 'en' | 'ru'): Map<string, string[]> {
  const { messages, parsed, entryLines } = ftlCatalog(readFileSync(join(root, `src/i18n/locales/bot.${locale}.ftl`), 'utf8'));
  assert.is(parsed, entryLines, `bot.${locale}.ftl: an entry did not parse`);
  return messages;
}

function sourcesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourcesOf(full) : name.endsWith('.ts') ? [readFileSync(full, 'utf8')] : [];
  });
}

const en = catalog('en');
const ru = catalog('ru');
const prefixes = new Set([...en.keys()].map((k) => k.split('-')[0]!));
/** Quoted kebab-case literals in src/bot whose first word is a prefix of the bot's keys. */
const used = new Set(
  sourcesOf(join(root, 'src/bot'))
    .flatMap((src) => [...src.matchAll(/'([a-z]+(?:-[a-z0-9]+)+)'/g)].map((m) => m[1]!))
    .filter((k) => prefixes.has(k.split('-')[0]!)),
);
for (const command of BOT_COMMANDS) used.add(`command-${command}`);

Keys('the scan finds the keys the bot uses', () => {
  assert.ok(used.size > 50, `only ${used.size} keys found`);
  assert.ok(used.has('spotify-not-registered') && used.has('login-linked'));
});

Keys('every key the bot uses is in bot.en.ftl and bot.ru.ftl', () => {
  assert.equal([...used].filter((k) => !en.has(k)), [], 'missing in bot.en.ftl');
  assert.equal([...used].filter((k) => !ru.has(k)), [], 'missing in bot.ru.ftl');
});

Keys('both files have the same keys with the same variables, and none is unused', () => {
  assert.equal([...en.keys()].sort(), [...ru.keys()].sort());
  for (const [key, vars] of en) assert.equal(ru.get(key), vars, `variables of ${key}`);
  assert.equal([...en.keys()].filter((k) => !used.has(k)), [], 'keys nobody uses');
});

Keys('every message formats in both languages with its variables', () => {
  for (const [key, vars] of en) {
    const args = Object.fromEntries(vars.map((v) => [v, v === 'date' ? new Date(Date.UTC(2027, 0, 2)) : v === 'n' || v === 'seconds' || v === 'page' || v === 'pages' ? 3 : 'X']));
    for (const locale of ['en', 'ru'] as const) assert.ok(t(locale, key, args).length > 0, `${locale} ${key}`);
  }
});

Keys('Russian plurals pick the right form', () => {
  assert.equal([1, 3, 5, 21].map((n) => t('ru', 'ago-minutes', { n })), ['1 минуту назад', '3 минуты назад', '5 минут назад', '21 минуту назад']);
  assert.equal([1, 2].map((n) => t('en', 'ago-hours', { n })), ['1 hour ago', '2 hours ago']);
});

Keys.run();
