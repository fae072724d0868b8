import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isLocale, pickLocale, pickLocaleFromAcceptLanguage } from '../../src/i18n/locale.ts';

const Pick = suite('locale choice');

const byLanguageCode: Array<[string | undefined | null, 'en' | 'ru']> = [
  ['ru', 'ru'], ['uk', 'ru'], ['be', 'ru'], ['kk', 'ru'],
  ['ru-RU', 'ru'], ['uk-UA', 'ru'], ['be_BY', 'ru'], ['KK-kz', 'ru'], [' ru ', 'ru'],
  ['en', 'en'], ['en-GB', 'en'], ['de', 'en'], ['pl', 'en'], ['rue', 'en'], ['kka', 'en'],
  ['', 'en'], [undefined, 'en'], [null, 'en'], ['💥', 'en'],
];
for (const [code, expected] of byLanguageCode) {
  Pick(`Telegram language "${String(code)}" reads ${expected}`, () => assert.is(pickLocale(code), expected));
}

const byHeader: Array<[string | undefined, 'en' | 'ru']> = [
  ['ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', 'ru'],
  ['en-US,en;q=0.9,ru;q=0.8', 'en'],
  ['de-DE, de;q=0.9, uk;q=0.8', 'ru'], // German is not on offer: the best language we have wins
  ['ru;q=0.5, en', 'en'],
  ['en;q=0.2, kk;q=0.3', 'ru'],
  ['ru;q=0, en;q=0.1', 'en'], // q=0 means "not acceptable"
  ['ru;q=0', 'en'],
  ['ru;q=abc, en;q=0.1', 'en'], // a malformed weight counts as 0
  ['ru;q=1.5', 'en'],
  ['*', 'en'],
  ['*;q=0.5, be', 'ru'],
  ['fr, de', 'en'],
  ['ru, en', 'ru'], // ties go to the earlier entry
  ['', 'en'],
  [undefined, 'en'],
  [';;;,,,=q', 'en'],
  [`${'x,'.repeat(5_000)}ru`, 'en'], // absurd headers are cut before parsing
];
for (const [header, expected] of byHeader) {
  Pick(`Accept-Language "${String(header).slice(0, 40)}" reads ${expected}`, () =>
    assert.is(pickLocaleFromAcceptLanguage(header), expected),
  );
}

Pick('a repeated Accept-Language header is read as one list', () => {
  assert.is(pickLocaleFromAcceptLanguage(['de', 'ru;q=0.4']), 'ru');
});

Pick('isLocale narrows exactly our two languages', () => {
  assert.ok(isLocale('en') && isLocale('ru'));
  assert.not.ok(isLocale('uk') || isLocale(undefined) || isLocale('EN'));
});

Pick.run();
