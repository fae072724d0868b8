/**
 * What the bot needs from the music pipeline (`src/music`), so the bot's own composers do
 * not depend on how links become audio. `main.ts` wires the implementation in; without it
 * the bot still runs and says downloads are unavailable.
 */
import type { Composer } from 'grammy';
import type { BotContext } from './context.ts';

export interface MusicPort {
  /**
   * Handles messages that hold music links and the pipeline's own buttons (candidate
   * choice, cancel). Installed after the command composers, before the fallback handler.
   */
  readonly composer: Composer<BotContext>;
  /** Sends a Spotify track as audio to the chat of `ctx` (the ⬇️ Download buttons). */
  downloadSpotifyTrack(ctx: BotContext, trackId: string): Promise<void>;
  /** The cached Telegram `file_id` of a Spotify track, for inline results; undefined if not sent yet. */
  cachedAudio(spotifyTrackId: string): Promise<string | undefined>;
}
