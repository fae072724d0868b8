/**
 * Finds URL-like substrings in free text: links with a scheme, bare `host/path` links
 * without one, and `spotify:` URIs. Knows nothing of music: deciding what a host means is
 * the caller's job.
 */

/** One URL-like piece of a message. */
export interface FoundUrl {
  /** The text as it stood in the message, trailing punctuation trimmed. */
  readonly text: string;
  /** Offset of `text` in the message. */
  readonly index: number;
  /** `uri` for `spotify:` URIs, `url` for everything else. */
  readonly form: 'url' | 'uri';
}

// Characters that cannot be part of a link as people paste them: whitespace, quotes,
// angle/square/curly brackets (markdown and `<…>` wrappers) and CJK punctuation.
const URL_CHAR = String.raw`[^\s<>"'\u0060\[\]{}|\\^«»“”‘’„，。、（）【】「」『』]`;
const SCHEME_URL = String.raw`https?:\/\/${URL_CHAR}+`;
const BARE_URL = String.raw`(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\/${URL_CHAR}*`;
const SPOTIFY_URI = String.raw`spotify:(?:user:[^\s:]+:)?[a-z]+:[A-Za-z0-9]{22}(?![A-Za-z0-9])`;
// The look-behind keeps a bare match from starting inside a longer host or path
// (`notyoutube.com` must be read whole, never as `youtube.com`).
const PATTERN = new RegExp(String.raw`(?<![\w@.\/-])(?:(${SPOTIFY_URI})|${SCHEME_URL}|${BARE_URL})`, 'giu');

const OPEN_PAREN = '('.charCodeAt(0);
const CLOSE_PAREN = ')'.charCodeAt(0);

const TRAILING = new Set(['.', ',', ';', ':', '!', '?', '…', '*', '~', '\u200b']);

/**
 * Drops sentence punctuation and unbalanced closing brackets from the end of a link.
 * One pass to count the brackets, one walk back from the end: linear in the link's length
 * (counting again for every trimmed `)` made a link followed by 4,000 `)` quadratic).
 */
function trimTrailing(s: string): string {
  let open = 0;
  let close = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === OPEN_PAREN) open++;
    else if (c === CLOSE_PAREN) close++;
  }
  let end = s.length;
  while (end > 0) {
    const last = s[end - 1]!;
    if (TRAILING.has(last)) {
      end--;
    } else if (last === ')' && open < close) {
      close--;
      end--;
    } else {
      break;
    }
  }
  return s.slice(0, end);
}

/** Every URL-like piece of `text`, in order of appearance. */
export function findUrls(text: string): FoundUrl[] {
  const out: FoundUrl[] = [];
  for (const m of text.matchAll(PATTERN)) {
    const form = m[1] !== undefined ? 'uri' : 'url';
    const trimmed = form === 'uri' ? m[0] : trimTrailing(m[0]);
    if (trimmed.length > 0) out.push({ text: trimmed, index: m.index ?? 0, form });
  }
  return out;
}
