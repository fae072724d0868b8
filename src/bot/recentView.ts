/**
 * One page of `/recent`: up to 10 numbered tracks with "… ago" times, a ⬇️ button per track
 * and ◀️ / ▶️ to page through at most 50 (Spotify's limit). Pure: the same plays, page and
 * clock give the same message, so re-rendering a page after a button press is cheap and an
 * unchanged page is recognised.
 */
import { InlineKeyboard } from 'grammy';
import type { RecentlyPlayedPage } from '../spotify/webApiClient.ts';
import { RECENT_PAGES, encodeCallbackData } from './callbackData.ts';
import { escapeHtml, timeAgo, trackLine, type Translate } from './format.ts';

/** Tracks per page. */
export const PAGE_SIZE = 10;

/** A rendered page: HTML text and its keyboard. */
export interface RecentView {
  text: string;
  keyboard: InlineKeyboard;
  /** The page shown (clamped to what exists), 0-based. */
  page: number;
  pages: number;
}

/** Renders page `page` (0-based, clamped) of `items` for the user `ownerId`; null when empty. */
export function renderRecent(
  t: Translate,
  items: RecentlyPlayedPage['items'],
  page: number,
  ownerId: number,
  nowMs: number,
): RecentView | null {
  const shown = items.slice(0, PAGE_SIZE * RECENT_PAGES);
  if (shown.length === 0) return null;
  const pages = Math.ceil(shown.length / PAGE_SIZE);
  const current = Math.max(0, Math.min(page, pages - 1));
  const first = current * PAGE_SIZE;
  const lines = [`<b>${escapeHtml(t('recent-title', { page: current + 1, pages }))}</b>`, ''];
  const keyboard = new InlineKeyboard();
  shown.slice(first, first + PAGE_SIZE).forEach((item, i) => {
    const n = first + i + 1;
    lines.push(`${n}. ${escapeHtml(trackLine(item.track, 90))} · ${escapeHtml(timeAgo(t, item.playedAtMs, nowMs))}`);
    if (item.track.id) {
      keyboard.text(`⬇️ ${n}`, encodeCallbackData({ kind: 'download', trackId: item.track.id }));
      if (i % 5 === 4) keyboard.row();
    }
  });
  keyboard.row();
  if (current > 0) keyboard.text(t('recent-newer'), encodeCallbackData({ kind: 'recent', page: current - 1, ownerId }));
  if (current < pages - 1) keyboard.text(t('recent-older'), encodeCallbackData({ kind: 'recent', page: current + 1, ownerId }));
  return { text: lines.join('\n'), keyboard, page: current, pages };
}
