/**
 * The two locale files must stay in step: the same keys, the same attributes, the same
 * variables in each message, and no line that Fluent silently skipped as junk.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FluentResource } from '@fluent/bundle';
import { LOCALES, type Locale } from '../../src/i18n/locale.ts';
import { readLocaleSource } from '../../src/i18n/translate.ts';
import { ftlCatalog, variablesOf, type FtlCatalog } from '../helpers/ftlCatalog.ts';

function catalog(locale: Locale): FtlCatalog {
  return ftlCatalog(readLocaleSource(locale));
}

const Locales = suite('locale files');
const catalogs = Object.fromEntries(LOCALES.map((l) => [l, catalog(l)])) as Record<Locale, FtlCatalog>;

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
