/**
 * What the bot's composers get to work with. Every part that depends on the operator's
 * configuration is optional: without `links` (Spotify login off) and `spotify` the Spotify
 * commands say so plainly; without `music` the ⬇️ buttons say downloads are unavailable.
 */
import type { LinkUseCases } from '../link/ports.ts';
import type { LyricsClient } from '../lyrics/lrclib.ts';
import type { Logger } from '../log.ts';
import type { WebApiClient } from '../spotify/webApiClient.ts';
import type { MusicPort } from './musicChat/musicPort.ts';

/** Dependencies shared by the composers of `src/bot/composers/`. */
export interface BotServices {
  readonly links?: LinkUseCases;
  readonly spotify?: WebApiClient;
  readonly music?: MusicPort;
  /** LRCLIB; without it `/lyrics` says lyrics are off. */
  readonly lyrics?: LyricsClient;
  readonly logger: Logger;
  /** Epoch ms, for "… ago" times; injectable so tests control it. */
  readonly now: () => number;
}
