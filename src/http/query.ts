/**
 * Strict decoding of the request target. `URLSearchParams` silently turns broken escapes
 * into U+FFFD; here they are an error, so a damaged callback URL gets a clear 400 instead
 * of a lookup with a mangled state.
 */

/** Thrown by {@link parseQuery} and {@link decodePath}; the server answers 400. */
export class MalformedRequestTargetError extends Error {
  readonly code = 'HTTP_MALFORMED_TARGET';
  constructor(what: string) {
    // Never includes the offending text: it may be a half-typed secret.
    super(`The request ${what} is not valid percent-encoded UTF-8.`);
    this.name = 'MalformedRequestTargetError';
  }
}

/** More parameters than this is not a browser following our links. */
export const MAX_QUERY_PARAMS = 64;

function decodeComponent(text: string, what: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new MalformedRequestTargetError(what);
  }
}

/**
 * Decodes a query string (without the `?`) as `application/x-www-form-urlencoded`, keeping
 * repeated names. Throws {@link MalformedRequestTargetError} on a broken escape, invalid
 * UTF-8 or more than {@link MAX_QUERY_PARAMS} parameters.
 */
export function parseQuery(raw: string): URLSearchParams {
  const params = new URLSearchParams();
  if (raw === '') return params;
  const parts = raw.split('&', MAX_QUERY_PARAMS + 1);
  if (parts.length > MAX_QUERY_PARAMS) throw new MalformedRequestTargetError('query (too many parameters)');
  for (const part of parts) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeComponent(eq === -1 ? part : part.slice(0, eq), 'query');
    const value = eq === -1 ? '' : decodeComponent(part.slice(eq + 1), 'query');
    params.append(name, value);
  }
  return params;
}

/** Percent-decodes a path (`+` stays `+`); throws {@link MalformedRequestTargetError} when broken. */
export function decodePath(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new MalformedRequestTargetError('path');
  }
}
