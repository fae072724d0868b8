/**
 * Inline keyboards the composers share: the "Connect Spotify" button, the buttons under a
 * track (⬇️ Download, Open in Spotify) and the button that opens the private chat.
 */
import { InlineKeyboard } from 'grammy';
import { encodeCallbackData } from './callbackData.ts';
import type { Translate } from './format.ts';

/** A button that starts `/login` (in the private chat; from a group it opens that chat). */
export function connectKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard().text(t('login-connect-button'), encodeCallbackData({ kind: 'login', step: 'go' }));
}

/** `https://t.me/<bot>?start=<payload>`: opens the private chat and sends `/start <payload>`. */
export function deepLink(botUsername: string, payload: string): string {
  return `https://t.me/${botUsername}?start=${payload}`;
}

/** One URL button that opens the private chat with the bot and starts `/login` there. */
export function openPrivateKeyboard(t: Translate, botUsername: string): InlineKeyboard {
  return new InlineKeyboard().url(t('login-open-private-button'), deepLink(botUsername, 'login'));
}

/**
 * ⬇️ Download (when the track has a Spotify id) and Open in Spotify (when it has a URL);
 * undefined when neither applies (a local file).
 */
export function trackKeyboard(t: Translate, item: { id: string | null; spotifyUrl: string | undefined }, download = true): InlineKeyboard | undefined {
  const keyboard = new InlineKeyboard();
  let buttons = 0;
  if (download && item.id) {
    keyboard.text(t('button-download'), encodeCallbackData({ kind: 'download', trackId: item.id }));
    buttons++;
  }
  if (item.spotifyUrl && /^https:\/\//.test(item.spotifyUrl)) {
    keyboard.url(t('button-open-spotify'), item.spotifyUrl);
    buttons++;
  }
  return buttons > 0 ? keyboard : undefined;
}
