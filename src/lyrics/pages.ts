/**
 * Lyrics cut into pages that each fit one Telegram message, on line boundaries so no line
 * is split across two messages (only a single line longer than a whole page is cut).
 */

/** Telegram's limit of a message's text, in UTF-16 code units. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/**
 * Splits `text` into pages of at most `max` UTF-16 code units, at line breaks. A page never
 * starts with blank lines (the break between stanzas goes with the page before).
 */
export function splitLines(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('a page must hold at least two code units');
  const pages: string[] = [];
  let current = '';
  const flush = () => {
    const page = current.replace(/\n+$/, '');
    if (page !== '') pages.push(page);
    current = '';
  };
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > max) {
      flush();
      // Never between the two halves of a surrogate pair (an emoji).
      const cut = /[\uD800-\uDBFF]/.test(rest[max - 1]!) ? max - 1 : max;
      pages.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    if (current === '') {
      current = rest;
    } else if (current.length + 1 + rest.length <= max) {
      current += `\n${rest}`;
    } else {
      flush();
      current = rest;
    }
  }
  flush();
  return pages;
}
