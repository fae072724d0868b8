/**
 * The `⬇️ Download` buttons (`dl:<spotifyTrackId>`) under `/now` and `/recent`: the press is
 * answered at once (so the client stops its spinner), then the music pipeline sends the track
 * as audio to the chat. Without a music pipeline the answer says downloads are unavailable.
 * The music port therefore must not answer the callback query itself.
 */
import type { BotFeature } from '../routing.ts';
import type { BotServices } from '../services.ts';

/** The `dl:` buttons. */
export function downloadFeature(s: BotServices): BotFeature {
  return {
    callbacks: {
      download: async (ctx, action) => {
        if (!s.music) {
          await ctx.answerCallbackQuery({ text: ctx.t('download-unavailable'), show_alert: true });
          return;
        }
        await ctx.answerCallbackQuery({ text: ctx.t('download-started') });
        await s.music.downloadSpotifyTrack(ctx, action.trackId);
      },
    },
  };
}
