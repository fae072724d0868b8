import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fixLookalikes, transliterate } from '../../../src/music/matcher/transliterate.ts';

const Script = suite('transliterate / fixLookalikes');

Script('Russian is written in Latin letters the way uploaders do', () => {
  assert.is(transliterate('группа крови'), 'gruppa krovi');
  assert.is(transliterate('щедрость и чайка'), 'schedrost i chayka');
  assert.is(transliterate('yoasobi 夜'), 'yoasobi 夜');
});

Script('mixed-script words are repaired towards their main script', () => {
  assert.is(fixLookalikes('DЕАD BLОNDЕ'), 'DEAD BLONDE');
  assert.is(fixLookalikes('Мaльчик'), 'Мальчик');
  assert.is(fixLookalikes('Кино and Kino'), 'Кино and Kino');
});

Script.run();
