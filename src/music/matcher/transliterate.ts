/**
 * Script helpers for comparing names across alphabets: Cyrillic/Latin lookalike repair and
 * a plain Cyrillic → Latin transliteration (the way uploaders spell "Кино" as "Kino").
 */

// Cyrillic letters that look like Latin ones (upper and lower case).
const CYR_TO_LAT: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', І: 'I', Ј: 'J', Ѕ: 'S',
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', к: 'k', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w',
};
const LAT_TO_CYR: Record<string, string> = {
  A: 'А', B: 'В', E: 'Е', K: 'К', M: 'М', H: 'Н', O: 'О', P: 'Р', C: 'С', T: 'Т', X: 'Х', Y: 'У',
  a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', y: 'у', x: 'х', k: 'к',
};
const LATIN = /[A-Za-z]/g;
const CYRILLIC = /[\u0400-\u04FF]/g;

/**
 * Repairs words that mix Latin and Cyrillic letters (a spam trick, and a typing accident):
 * a mostly Latin word gets Latin letters for its Cyrillic lookalikes, a mostly Cyrillic
 * word the reverse. Words in one script are left alone.
 *
 * @example fixLookalikes('DЕАD BLОNDЕ') // 'DEAD BLONDE' (the Е, А, О were Cyrillic)
 */
export function fixLookalikes(text: string): string {
  return text.replace(/[\p{L}\p{N}]+/gu, (word) => {
    const latin = word.match(LATIN)?.length ?? 0;
    const cyrillic = word.match(CYRILLIC)?.length ?? 0;
    if (latin === 0 || cyrillic === 0) return word;
    const map = latin >= cyrillic ? CYR_TO_LAT : LAT_TO_CYR;
    return Array.from(word, (ch) => map[ch] ?? ch).join('');
  });
}

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', і: 'i', ї: 'yi', є: 'ye', ґ: 'g', ў: 'u',
};

/**
 * Lower-case Cyrillic to Latin, as uploaders commonly write it ("группа крови" →
 * "gruppa krovi"). Other scripts pass through. Input is expected to be lower case.
 */
export function transliterate(text: string): string {
  return text.replace(/[\u0400-\u04FF]/g, (ch) => TRANSLIT[ch] ?? ch);
}
