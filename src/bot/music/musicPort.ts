/**
 * The bot's {@link MusicPort}, implemented on the music service: `main.ts` calls
 * `createMusicPort(createMusicService(…))` and hands the result to `createBot`.
 *
 * @example
 * const music = createMusicService({ config, db, spotify: webApi, logger });
 * const port = createMusicPort(music);
 * const app = createBot({ config, links, spotify, music: port, logger });
 */
import type { BotContext } from '../context.ts';
import type { MusicPort } from '../musicPort.ts';
import { parseUrl } from '../../music/links/index.ts';
import type { MusicService } from '../../music/musicService.ts';
import { ChoiceStore } from './choiceStore.ts';
import { createMusicComposer, originOf } from './musicComposer.ts';
import { MusicRequests, type MusicRequestsOptions } from './musicRequests.ts';

/** Optional tuning of {@link createMusicPort}. */
export type MusicPortOptions = Partial<Pick<MusicRequestsOptions, 'progressIntervalMs' | 'progressClock' | 'chatActionEveryMs'>> & {
  readonly choices?: ChoiceStore;
};

/** Wires the music composer and the ⬇️ Download / inline helpers onto `service`. */
export function createMusicPort(service: MusicService, options: MusicPortOptions = {}): MusicPort {
  const choices = options.choices ?? new ChoiceStore();
  const requests = new MusicRequests({ service, choices, limits: service.limits, ...options });
  return {
    composer: createMusicComposer({ service, requests, choices }),
    /**
     * Queues the track for the chat of `ctx` (the user's private chat for inline messages).
     * Resolves once queued or sent from the cache; never answers the callback query.
     */
    async downloadSpotifyTrack(ctx: BotContext, trackId: string): Promise<void> {
      const verdict = parseUrl(`https://open.spotify.com/track/${trackId}`);
      const origin = originOf(ctx);
      if (verdict.type !== 'link' || !origin) return;
      await requests.start(origin, verdict.link);
    },
    async cachedAudio(spotifyTrackId: string): Promise<string | undefined> {
      if (!/^[A-Za-z0-9]{22}$/.test(spotifyTrackId)) return undefined;
      return (await service.cached(`spotify:track:${spotifyTrackId}`))?.fileId;
    },
  };
}
