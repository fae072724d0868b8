import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createTranslator,
  hasTranslation,
  MissingTranslationError,
  t,
  TranslationFormatError,
} from '../../src/i18n/translate.ts';

const Translate = suite('translation');

Translate('messages come out in the asked language, with variables and no isolation marks', () => {
  assert.is(t('en', 'callback-denied-heading'), 'Login cancelled');
  assert.is(t('ru', 'callback-denied-heading'), 'Вход отменён');
  const text = t('ru', 'callback-completed-text', { botUsername: 'MusicBot' });
  assert.ok(text.includes('@MusicBot'));
  assert.not.ok(/[\u2068\u2069]/.test(text));
});

Translate('a key missing in Russian falls back to English', () => {
  const tr = createTranslator({ en: 'only-en = Only in English\nboth = Both\n', ru: 'both = Оба\n' });
  assert.is(tr.t('ru', 'only-en'), 'Only in English');
  assert.is(tr.t('ru', 'both'), 'Оба');
  assert.not.ok(tr.has('ru', 'only-en'));
});

Translate('a key no file defines throws MissingTranslationError', () => {
  assert.throws(
    () => t('ru', 'no-such-key'),
    (err: unknown) => err instanceof MissingTranslationError && err.code === 'I18N_MISSING_KEY' && err.key === 'no-such-key',
  );
  assert.not.ok(hasTranslation('en', 'no-such-key'));
});

Translate('a variable not passed throws TranslationFormatError naming it', () => {
  assert.throws(
    () => t('en', 'callback-completed-text'),
    (err: unknown) =>
      err instanceof TranslationFormatError && err.code === 'I18N_FORMAT_FAILED' && err.message.includes('botUsername'),
  );
});

Translate('numbers are formatted for the locale', () => {
  const tr = createTranslator({ en: 'n = { $n }', ru: 'n = { $n }' });
  assert.is(tr.t('en', 'n', { n: 12345.5 }), '12,345.5');
  assert.is(tr.t('ru', 'n', { n: 12345.5 }).replace(/\s/g, ' '), '12 345,5');
});

Translate('a key defined twice in one file is refused at load', () => {
  assert.throws(() => createTranslator({ en: 'a = 1\na = 2\n', ru: 'a = 1\n' }));
});

Translate.run();
