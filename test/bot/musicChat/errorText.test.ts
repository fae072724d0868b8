import { GrammyError } from 'grammy';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { errorMessage } from '../../../src/bot/musicChat/errorText.ts';
import { hasTranslation, t } from '../../../src/i18n/translate.ts';
import { MusicError, type MusicErrorCode } from '../../../src/music/errors.ts';

const CODES: MusicErrorCode[] = [
  'MUSIC_UNSUPPORTED_LINK', 'MUSIC_COLLECTION_UNSUPPORTED', 'MUSIC_PLAYLIST_REFUSED', 'MUSIC_DEAD_LINK', 'MUSIC_REGION_BLOCKED', 'MUSIC_YANDEX_REFUSED',
  'MUSIC_SOURCE_REFUSED', 'MUSIC_LIVE_STREAM', 'MUSIC_TOO_LONG', 'MUSIC_TOO_LARGE', 'MUSIC_NO_MATCH', 'MUSIC_SOURCE_UNAVAILABLE',
  'MUSIC_SOURCE_THROTTLED', 'MUSIC_SOURCE_BROKEN', 'MUSIC_PREVIEW_ONLY', 'MUSIC_TIMEOUT', 'MUSIC_TOOL_MISSING', 'MUSIC_DOWNLOAD_FAILED', 'MUSIC_CANCELLED',
];
const limits = { maxTrackSeconds: 1200, maxUploadMb: 50 };

const E = suite('music error messages');

E('every error code has its own message in English and Russian', () => {
  const keys = new Set<string>();
  for (const code of CODES) {
    const { key, args } = errorMessage(new MusicError(code, 'x'), limits);
    keys.add(key);
    for (const locale of ['en', 'ru'] as const) {
      assert.ok(hasTranslation(locale, key), `${locale}: ${key}`);
      assert.ok(t(locale, key, args).length > 0);
    }
  }
  assert.is(keys.size, CODES.length);
});

E('limits are quoted in the user’s terms', () => {
  const long = errorMessage(new MusicError('MUSIC_TOO_LONG', 'x'), limits);
  assert.match(t('en', long.key, long.args), '20 minutes');
  const big = errorMessage(new MusicError('MUSIC_TOO_LARGE', 'x'), limits);
  assert.match(t('ru', big.key, big.args), '50 МБ');
});

E('Telegram refusing an upload and plain bugs get their own generic messages', () => {
  const tooBig = new GrammyError('x', { ok: false, error_code: 413, description: 'Request Entity Too Large' }, 'sendAudio', {});
  assert.is(errorMessage(tooBig, limits).key, 'music-error-too-large');
  const other = new GrammyError('x', { ok: false, error_code: 400, description: 'Bad Request: something' }, 'sendAudio', {});
  assert.is(errorMessage(other, limits).key, 'music-error-send-failed');
  assert.is(errorMessage(new TypeError('bug'), limits).key, 'music-error-internal');
});

E.run();
