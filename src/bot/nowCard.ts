/**
 * The text of a `/now` card (a photo caption, or a message when there is no cover): title in
 * bold, artists or show, album, and the progress bar with times. HTML, every outside string
 * escaped and clipped, so it stays under Telegram's 1024-character caption limit.
 */
import type { EpisodeSummary, TrackSummary } from '../spotify/webApiClient.ts';
import { clip, escapeHtml, progressBar, type Translate } from './format.ts';

/** Longest title, artist list or album name shown (the rest is cut with `…`). */
const FIELD_MAX = 200;

function progressLine(t: Translate, progressMs: number | undefined, durationMs: number, isPlaying: boolean): string {
  const bar = progressBar(progressMs, durationMs);
  return isPlaying ? bar : `${bar} · ${escapeHtml(t('now-paused'))}`;
}

/** The card of a track. */
export function trackCard(t: Translate, track: TrackSummary, progressMs: number | undefined, isPlaying: boolean): string {
  const lines = [`<b>${escapeHtml(clip(track.title, FIELD_MAX))}</b>`];
  if (track.artists.length > 0) lines.push(escapeHtml(clip(track.artists.join(', '), FIELD_MAX)));
  if (track.album) lines.push(escapeHtml(t('now-album', { album: clip(track.album, FIELD_MAX) })));
  lines.push(progressLine(t, progressMs, track.durationMs, isPlaying));
  return lines.join('\n');
}

/** The card of a podcast episode. */
export function episodeCard(t: Translate, episode: EpisodeSummary, progressMs: number | undefined, isPlaying: boolean): string {
  const lines = [`<b>${escapeHtml(clip(episode.title, FIELD_MAX))}</b>`];
  if (episode.show) lines.push(escapeHtml(t('now-show', { show: clip(episode.show, FIELD_MAX) })));
  if (episode.publisher) lines.push(escapeHtml(clip(episode.publisher, FIELD_MAX)));
  lines.push(progressLine(t, progressMs, episode.durationMs, isPlaying));
  return lines.join('\n');
}
