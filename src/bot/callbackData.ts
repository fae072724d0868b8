/**
 * The bot's own callback data: short, versioned, validated strings on inline buttons.
 *
 * Format: `<kind><version?>:<payload>`, at most 64 bytes (Telegram's limit). Version 1 is
 * written without a number (`dl:…`); a changed payload format gets the next version
 * (`rc2:…`), so buttons on old messages parse as stale instead of being misread.
 *
 * | data | meaning |
 * | --- | --- |
 * | `dl:<spotifyTrackId>` | ⬇️ download this track into the chat |
 * | `rc:<page>:<ownerUserId>` | `/recent` page 0–4 of that user's history |
 * | `ul:ask` / `ul:yes` / `ul:no` | unlink: ask to confirm / confirmed / cancelled |
 * | `lg:go` / `lg:new` | start a login (from a "Connect" button) / reconnect |
 * | `mu:x:…` / `mu:p:…` | the music pipeline's buttons: cancel a request, pick a choice (payload: `music/callbackData.ts`) |
 *
 * Invariant: callback data never holds a token, a URL, a state or a completion id; only
 * public ids (Spotify track ids, Telegram user ids) and small enums. Anything a client sends
 * is untrusted: {@link parseCallbackData} checks it and answers `null` for a forged, stale or
 * foreign string.
 *
 * @example
 * const data = encodeCallbackData({ kind: 'download', trackId: '4uLU6hMCjMI75M1A2tKUQC' }); // 'dl:4uLU…'
 * parseCallbackData(data); // { kind: 'download', trackId: '4uLU6hMCjMI75M1A2tKUQC' }
 */
import { z } from 'zod';
import { musicPayload, parseMusicPayload, type MusicAction } from './musicChat/callbackData.ts';

/** How many `/recent` pages there are at most (10 tracks each, Spotify gives at most 50). */
export const RECENT_PAGES = 5;

/** A decoded button of the bot. */
export type CallbackAction =
  | { kind: 'download'; trackId: string }
  | { kind: 'recent'; page: number; ownerId: number }
  | { kind: 'unlink'; step: 'ask' | 'yes' | 'no' }
  | { kind: 'login'; step: 'go' | 'new' }
  | { kind: 'music'; action: MusicAction };

/** Thrown by {@link encodeCallbackData} for an action that cannot be put on a button. */
export class CallbackDataError extends Error {
  readonly code = 'BOT_CALLBACK_DATA_INVALID';
  constructor(kind: string) {
    super(`callback data for "${kind}" is invalid or longer than 64 bytes`);
    this.name = 'CallbackDataError';
  }
}

const trackId = z.string().regex(/^[0-9A-Za-z]{1,40}$/);
const userId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Per kind: its prefix, current version and payload schema. */
const FORMATS = {
  download: {
    prefix: 'dl',
    version: 1,
    parse: (p: string) => trackId.safeParse(p).data,
    build: (a: Extract<CallbackAction, { kind: 'download' }>) => a.trackId,
  },
  recent: {
    prefix: 'rc',
    version: 1,
    parse: (p: string) => {
      const m = /^([0-9]):([0-9]{1,16})$/.exec(p);
      const page = Number(m?.[1]);
      const owner = userId.safeParse(m?.[2]).data;
      return m && page < RECENT_PAGES && owner !== undefined ? { page, ownerId: owner } : undefined;
    },
    build: (a: Extract<CallbackAction, { kind: 'recent' }>) => `${a.page}:${a.ownerId}`,
  },
  unlink: {
    prefix: 'ul',
    version: 1,
    parse: (p: string) => z.enum(['ask', 'yes', 'no']).safeParse(p).data,
    build: (a: Extract<CallbackAction, { kind: 'unlink' }>) => a.step,
  },
  login: {
    prefix: 'lg',
    version: 1,
    parse: (p: string) => z.enum(['go', 'new']).safeParse(p).data,
    build: (a: Extract<CallbackAction, { kind: 'login' }>) => a.step,
  },
  music: {
    prefix: 'mu',
    version: 1,
    parse: (p: string) => parseMusicPayload(p),
    build: (a: Extract<CallbackAction, { kind: 'music' }>) => musicPayload(a.action),
  },
} as const;

const BY_PREFIX: ReadonlyMap<string, { kind: string; version: number; parse: (p: string) => unknown }> = new Map(
  Object.entries(FORMATS).map(([kind, f]) => [f.prefix, { kind, version: f.version, parse: f.parse }]),
);

/** The string to put in `callback_data`. Throws {@link CallbackDataError} when it would not fit. */
export function encodeCallbackData(action: CallbackAction): string {
  const format = FORMATS[action.kind];
  const payload = (format.build as (a: CallbackAction) => string)(action);
  const data = `${format.prefix}${format.version === 1 ? '' : format.version}:${payload}`;
  if (Buffer.byteLength(data) > 64 || parseCallbackData(data) === null) throw new CallbackDataError(action.kind);
  return data;
}

/** The action behind `data`, or `null` when it is not a current, well-formed button of ours. */
export function parseCallbackData(data: string | undefined): CallbackAction | null {
  if (data === undefined || data.length > 64) return null;
  const m = /^([a-z]{2})([0-9]*):(.*)$/s.exec(data);
  const format = m ? BY_PREFIX.get(m[1]!) : undefined;
  if (!m || !format || Number(m[2] || 1) !== format.version) return null;
  const parsed = format.parse(m[3]!);
  if (parsed === undefined) return null;
  switch (format.kind) {
    case 'download':
      return { kind: 'download', trackId: parsed as string };
    case 'recent':
      return { kind: 'recent', ...(parsed as { page: number; ownerId: number }) };
    case 'unlink':
      return { kind: 'unlink', step: parsed as 'ask' | 'yes' | 'no' };
    case 'music':
      return { kind: 'music', action: parsed as MusicAction };
    default:
      return { kind: 'login', step: parsed as 'go' | 'new' };
  }
}
