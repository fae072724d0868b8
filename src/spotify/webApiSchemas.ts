/**
 * zod schemas of the Web API bodies the bot reads, and their mapping to the small shapes the bot
 * shows. Schemas name only the fields used and ignore the rest, so Spotify adding fields never
 * breaks a call; a field the bot needs that is missing or mistyped fails the parse.
 */
import { z } from 'zod';

const Image = z.object({ url: z.string(), width: z.number().nullish(), height: z.number().nullish() });
const Images = z.array(Image).nullish();
const ExternalUrls = z.object({ spotify: z.string().optional() }).nullish();

/** A track object (`GET /tracks/{id}`, `item` of currently-playing, recently-played items). */
export const TrackBody = z.object({
  type: z.literal('track'),
  id: z.string().nullish(), // local files have no id
  name: z.string(),
  uri: z.string().nullish(),
  duration_ms: z.number().int().nonnegative(),
  explicit: z.boolean().nullish(),
  is_local: z.boolean().nullish(),
  artists: z.array(z.object({ id: z.string().nullish(), name: z.string() })),
  album: z
    .object({ id: z.string().nullish(), name: z.string(), release_date: z.string().nullish(), images: Images })
    .nullish(),
  external_ids: z.object({ isrc: z.string().nullish() }).nullish(),
  external_urls: ExternalUrls,
});

/** An episode object (`item` of currently-playing with `additional_types=episode`). */
export const EpisodeBody = z.object({
  type: z.literal('episode'),
  id: z.string(),
  name: z.string(),
  duration_ms: z.number().int().nonnegative(),
  images: Images,
  external_urls: ExternalUrls,
  show: z.object({ name: z.string(), publisher: z.string().nullish(), images: Images }).nullish(),
});

/** `GET /me/player/currently-playing` with status 200; `item` is checked per its `type`. */
export const CurrentlyPlayingBody = z.object({
  is_playing: z.boolean(),
  progress_ms: z.number().int().nullish(),
  currently_playing_type: z.string(),
  item: z.looseObject({ type: z.string() }).nullish(),
  context: z.object({ uri: z.string().nullish() }).nullish(),
});

/** `GET /me/player/recently-played`. */
export const RecentlyPlayedBody = z.object({
  items: z.array(
    z.object({
      played_at: z.string().refine((s) => !Number.isNaN(Date.parse(s))),
      track: TrackBody,
      context: z.object({ uri: z.string().nullish() }).nullish(),
    }),
  ),
  next: z.string().nullish(),
  cursors: z.object({ after: z.string().nullish(), before: z.string().nullish() }).nullish(),
});

/** `GET /me`. */
export const ProfileBody = z.object({
  id: z.string().min(1),
  account_id: z.string().nullish(),
  display_name: z.string().nullish(),
  product: z.string().nullish(),
  country: z.string().nullish(),
  external_urls: ExternalUrls,
});

/** What the bot shows about a track, and what the music module needs to match it. */
export interface TrackSummary {
  /** Spotify track id; null for local files. */
  id: string | null;
  title: string;
  /** Artist names, in Spotify's order. */
  artists: string[];
  album: string | undefined;
  /** Album release date as Spotify gives it (`1981`, `1981-12`, `1981-12-31`). */
  releaseDate: string | undefined;
  durationMs: number;
  isrc: string | undefined;
  /** The largest cover no bigger than 640 px (see {@link pickCover}). */
  coverUrl: string | undefined;
  spotifyUrl: string | undefined;
  uri: string | undefined;
  explicit: boolean;
  isLocal: boolean;
}

/** What the bot shows about a podcast episode. */
export interface EpisodeSummary {
  id: string;
  title: string;
  show: string | undefined;
  publisher: string | undefined;
  durationMs: number;
  coverUrl: string | undefined;
  spotifyUrl: string | undefined;
}

/** The signed-in Spotify account (`GET /me`). */
export interface SpotifyProfile {
  /** Spotify user id (shown in URLs). */
  id: string;
  /** Stable pseudonymous account id, when Spotify sends it; prefer it for linking. */
  accountId: string | undefined;
  displayName: string | undefined;
  product: string | undefined;
  country: string | undefined;
  spotifyUrl: string | undefined;
}

type Image = z.output<typeof Image>;

/**
 * Picks a cover URL: the largest image whose longer side is at most 640 px; failing that an
 * image of unknown size; failing that the smallest one.
 */
export function pickCover(images: readonly Image[] | null | undefined): string | undefined {
  if (!images || images.length === 0) return undefined;
  const side = (i: Image): number | undefined => {
    const s = Math.max(i.width ?? 0, i.height ?? 0);
    return s > 0 ? s : undefined;
  };
  const fitting = images.filter((i) => (side(i) ?? Infinity) <= 640).sort((a, b) => side(b)! - side(a)!);
  if (fitting[0]) return fitting[0].url;
  const unsized = images.find((i) => side(i) === undefined);
  if (unsized) return unsized.url;
  return [...images].sort((a, b) => side(a)! - side(b)!)[0]?.url;
}

/** Maps a parsed track body to a {@link TrackSummary}. */
export function toTrackSummary(t: z.output<typeof TrackBody>): TrackSummary {
  return {
    id: t.id ?? null,
    title: t.name,
    artists: t.artists.map((a) => a.name),
    album: t.album?.name || undefined,
    releaseDate: t.album?.release_date ?? undefined,
    durationMs: t.duration_ms,
    isrc: t.external_ids?.isrc || undefined,
    coverUrl: pickCover(t.album?.images),
    spotifyUrl: t.external_urls?.spotify ?? undefined,
    uri: t.uri ?? undefined,
    explicit: t.explicit ?? false,
    isLocal: t.is_local ?? false,
  };
}

/** Maps a parsed episode body to an {@link EpisodeSummary}; the show's cover is the fallback. */
export function toEpisodeSummary(e: z.output<typeof EpisodeBody>): EpisodeSummary {
  return {
    id: e.id,
    title: e.name,
    show: e.show?.name,
    publisher: e.show?.publisher ?? undefined,
    durationMs: e.duration_ms,
    coverUrl: pickCover(e.images) ?? pickCover(e.show?.images),
    spotifyUrl: e.external_urls?.spotify ?? undefined,
  };
}

/** Maps `GET /me` to a {@link SpotifyProfile}. */
export function toProfile(p: z.output<typeof ProfileBody>): SpotifyProfile {
  return {
    id: p.id,
    accountId: p.account_id ?? undefined,
    displayName: p.display_name || undefined,
    product: p.product ?? undefined,
    country: p.country ?? undefined,
    spotifyUrl: p.external_urls?.spotify ?? undefined,
  };
}
