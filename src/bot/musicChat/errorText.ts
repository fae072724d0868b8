/**
 * What a user reads when a music request fails: one locale key per error code, never the
 * error's own message (which is for the operator's log).
 */
import { GrammyError } from 'grammy';
import type { TranslationArgs } from '../../i18n/translate.ts';
import { MusicError, type MusicErrorCode } from '../../music/errors.ts';

const KEYS: Record<MusicErrorCode, string> = {
  MUSIC_UNSUPPORTED_LINK: 'music-error-unsupported',
  MUSIC_COLLECTION_UNSUPPORTED: 'music-error-collection-unsupported',
  MUSIC_PLAYLIST_REFUSED: 'music-error-playlist-refused',
  MUSIC_DEAD_LINK: 'music-error-dead-link',
  MUSIC_REGION_BLOCKED: 'music-error-region-blocked',
  MUSIC_YANDEX_REFUSED: 'music-error-yandex-refused',
  MUSIC_SOURCE_REFUSED: 'music-error-source-refused',
  MUSIC_LIVE_STREAM: 'music-error-live',
  MUSIC_TOO_LONG: 'music-error-too-long',
  MUSIC_TOO_LARGE: 'music-error-too-large',
  MUSIC_NO_MATCH: 'music-error-no-match',
  MUSIC_SOURCE_UNAVAILABLE: 'music-error-unavailable',
  MUSIC_SOURCE_THROTTLED: 'music-error-throttled',
  MUSIC_SOURCE_BROKEN: 'music-error-source-broken',
  MUSIC_PREVIEW_ONLY: 'music-error-preview-only',
  MUSIC_TIMEOUT: 'music-error-timeout',
  MUSIC_TOOL_MISSING: 'music-error-tool-missing',
  MUSIC_DOWNLOAD_FAILED: 'music-error-download-failed',
  MUSIC_CANCELLED: 'music-cancelled',
  MUSIC_CHOICE_EXPIRED: 'music-choice-expired',
  MUSIC_WORKER_LOST: 'music-error-worker-lost',
};

/** The limits some messages quote. */
export interface MusicLimits {
  readonly maxTrackSeconds: number;
  readonly maxUploadMb: number;
}

/** The locale key and arguments for `err`. */
export function errorMessage(err: unknown, limits: MusicLimits): { key: string; args?: TranslationArgs } {
  if (err instanceof MusicError) {
    const key = KEYS[err.code];
    if (err.code === 'MUSIC_TOO_LONG') return { key, args: { minutes: Math.floor(limits.maxTrackSeconds / 60) } };
    if (err.code === 'MUSIC_TOO_LARGE') return { key, args: { megabytes: limits.maxUploadMb } };
    return { key };
  }
  if (err instanceof GrammyError) {
    // Telegram refused the upload itself (too big for it, a broken file).
    if (/too big|too large|entity too large/i.test(err.description)) return { key: 'music-error-too-large', args: { megabytes: limits.maxUploadMb } };
    return { key: 'music-error-send-failed' };
  }
  return { key: 'music-error-internal' };
}

/** True for failures the operator should look at (not the user's link or limits). */
export function isOperatorProblem(err: unknown): boolean {
  if (!(err instanceof MusicError)) return true;
  return err.code === 'MUSIC_TOOL_MISSING' || err.code === 'MUSIC_DOWNLOAD_FAILED' || err.code === 'MUSIC_WORKER_LOST';
}
