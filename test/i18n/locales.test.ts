/**
 * The two locale files must stay in step: the same keys, the same attributes, the same
 * variables in each message, and no line that Fluent silently skipped as junk.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FluentResource } from '@fluent/bundle';
import { LOCALES, type Locale } from '../../src/i18n/locale.ts';
import { readLocaleSource } from '../../src/i18n/translate.ts';

type Node = unknown;

/** Every `$variable` referenced anywhere in a pattern (select expressions and arguments included). */
function variablesOf(node: Node, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) variablesOf(item, into);
  else if (node !== null && typeof node === 'object') {
    const n = node as Record<string, unknown>;
    if (n.type === 'var' && typeof n.name === 'string') into.add(n.name);
    for (const value of Object.values(n)) variablesOf(value, into);
  }
  return into;
}

interface Catalog {
  /** key (and `key.attr`) → sorted variable names */
  readonly messages: Map<string, string[]>;
  readonly entryLines: number;
}

function catalog(locale: Locale): Catalog {
  const source = readLocaleSource(locale);
  const resource = new FluentResource(source);
  const messages = new Map<string, string[]>();
  for (const entry of resource.body) {
    messages.set(entry.id, [...variablesOf(entry.value)].sort());
    for (const [attr, pattern] of Object.entries(entry.attributes)) messages.set(`${entry.id}.${attr}`, [...variablesOf(pattern)].sort());
  }
  // Lines that start an entry (`key =` or `-term =`); Fluent drops broken ones without a word.
  const entryLines = source.split('\n').filter((l) => /^-?[a-zA-Z][\w-]*\s*=/.test(l)).length;
  return { messages, entryLines };
}

const Locales = suite('locale files');
const catalogs = Object.fromEntries(LOCALES.map((l) => [l, catalog(l)])) as Record<Locale, Catalog>;

Locales('every entry of each file parses (no junk skipped)', () => {
  for (const locale of LOCALES) {
    const parsed = new FluentResource(readLocaleSource(locale)).body.length;
    assert.is(parsed, catalogs[locale].entryLines, `${locale}.ftl`);
  }
});

Locales('both files define the same keys', () => {
  const en = [...catalogs.en.messages.keys()].sort();
  const ru = [...catalogs.ru.messages.keys()].sort();
  assert.equal(
    en.filter((k) => !ru.includes(k)),
    [],
    'keys only in en.ftl',
  );
  assert.equal(
    ru.filter((k) => !en.includes(k)),
    [],
    'keys only in ru.ftl',
  );
});

Locales('the checker sees variables, also inside select expressions', () => {
  assert.equal(catalogs.en.messages.get('callback-completed-text'), ['botUsername']);
  const resource = new FluentResource('m = { $n ->\n    [one] one { $what }\n   *[other] { $n } { $who }\n}\n');
  assert.equal([...variablesOf(resource.body[0]?.value)].sort(), ['n', 'what', 'who']);
});

Locales('each message uses the same variables in both files', () => {
  for (const [key, vars] of catalogs.en.messages) {
    assert.equal(catalogs.ru.messages.get(key), vars, `variables of "${key}"`);
  }
});

Locales('keys are kebab-case', () => {
  for (const key of catalogs.en.messages.keys()) assert.match(key, /^[a-z][a-z0-9]*(-[a-z0-9]+)*(\.[a-z][a-zA-Z0-9-]*)?$/);
});

Locales.run();
