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

const TRAILING = new Set(['.', ',', ';', ':', '!', '?', '…', '*', '~', '\u200b']);

/** Drops sentence punctuation and unbalanced closing brackets from the end of a link. */
function trimTrailing(s: string): string {
  let out = s;
  for (;;) {
    const last = out.at(-1);
    if (last === undefined) return out;
    if (TRAILING.has(last)) {
      out = out.slice(0, -1);
      continue;
    }
    if (last === ')' && count(out, '(') < count(out, ')')) {
      out = out.slice(0, -1);
      continue;
    }
    return out;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
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
