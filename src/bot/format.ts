/**
 * Small, pure formatting helpers for the bot's messages: HTML escaping for `parse_mode:
 * 'HTML'`, durations, the progress bar of `/now`, track lines and "… ago" times.
 *
 * Invariant: every string that came from outside (Spotify titles, user names, translations)
 * goes through {@link escapeHtml} before it is put into an HTML message, and through
 * {@link clip} so that a long title can never push a message past Telegram's limits.
 */
import type { TranslationArgs } from '../i18n/translate.ts';

/** Escapes the three characters Telegram's HTML mode cares about. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to at most `max` characters (code points), ending with `…` when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** `m:ss`, or `h:mm:ss` from one hour on. Negative or broken input reads as 0:00. */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * A text progress bar with times: `▰▰▰▱▱▱▱▱▱▱▱▱ 1:23 / 3:35`. The position is clamped to
 * the duration; an unknown position shows an empty bar.
 */
export function progressBar(progressMs: number | undefined, durationMs: number, width = 12): string {
  const pos = Math.max(0, Math.min(progressMs ?? 0, durationMs));
  const filled = durationMs > 0 ? Math.round((pos / durationMs) * width) : 0;
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${formatDuration(pos)} / ${formatDuration(durationMs)}`;
}

/** `Artist 1, Artist 2 – Title`, clipped; the usual way a track is named in one line. */
export function trackLine(track: { artists: readonly string[]; title: string }, max = 120): string {
  const artists = track.artists.join(', ');
  return clip(artists ? `${artists} – ${track.title}` : track.title, max);
}

/** A translate function bound to the user's locale (`ctx.t`). */
export type Translate = (key: string, args?: TranslationArgs) => string;

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago" in the user's language. */
export function timeAgo(t: Translate, thenMs: number, nowMs: number): string {
  const minutes = Math.floor(Math.max(0, nowMs - thenMs) / 60_000);
  if (minutes < 1) return t('ago-just-now');
  if (minutes < 60) return t('ago-minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('ago-hours', { n: hours });
  return t('ago-days', { n: Math.floor(hours / 24) });
}
