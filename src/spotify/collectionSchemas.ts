/**
 * zod schemas of the album and playlist bodies the bot reads (Web API OpenAPI spec 2026.5.31:
 * `AlbumObject`, `PagingSimplifiedTrackObject`, `PlaylistObject`, `PagingPlaylistTrackObject`),
 * and their mapping to {@link CollectionTrack}. Like `webApiSchemas.ts`, they name only the
 * fields used, so Spotify adding fields never breaks a call.
 */
import { z } from 'zod';

/** One track of an album or playlist, as the bot lists it. */
export interface CollectionTrack {
  readonly id: string;
  readonly title: string;
  readonly artists: readonly string[];
  readonly durationMs: number;
}

/** A `SimplifiedTrackObject` (album tracks); `id` is missing only on local files. */
const SimplifiedTrack = z.object({
  id: z.string().nullish(),
  name: z.string(),
  duration_ms: z.number().int().nonnegative(),
  is_local: z.boolean().nullish(),
  artists: z.array(z.object({ name: z.string() })),
});

/** The `PagingObject` fields the bot pages with. */
const paging = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next: z.string().nullish(), total: z.number().int().nonnegative() });

/** `GET /albums/{id}/tracks`. */
export const AlbumTracksBody = paging(SimplifiedTrack);

/** `GET /albums/{id}`: the first page of its tracks is inside. */
export const AlbumBody = z.object({ name: z.string(), tracks: AlbumTracksBody });

/**
 * A `PlaylistTrackObject`. `item` replaced the deprecated `track` in 2026 (both are still
 * sent); either may be an `EpisodeObject` or null (a track no longer available).
 */
const PlaylistEntry = z.object({
  is_local: z.boolean().nullish(),
  item: z.looseObject({ type: z.string() }).nullish(),
  track: z.looseObject({ type: z.string() }).nullish(),
});

/** `GET /playlists/{id}/items`. */
export const PlaylistItemsBody = paging(PlaylistEntry);

/**
 * `GET /playlists/{id}`. `items` is only there for playlists the token's user owns or
 * collaborates on (and never for an app token): its absence means Spotify will not show the
 * entries to this bot.
 */
export const PlaylistBody = z.object({ name: z.string(), items: PlaylistItemsBody.nullish() });

/** An album's simplified tracks that can be played (local files cannot be looked up). */
export function albumTracks(items: readonly z.output<typeof SimplifiedTrack>[]): CollectionTrack[] {
  return items.flatMap((t) =>
    t.id && !t.is_local ? [{ id: t.id, title: t.name, artists: t.artists.map((a) => a.name), durationMs: t.duration_ms }] : [],
  );
}

/** A playlist's tracks; episodes, local files and entries no longer available are skipped (no track to send). */
export function playlistTracks(entries: readonly z.output<typeof PlaylistEntry>[]): CollectionTrack[] {
  return entries.flatMap((e) => {
    if (e.is_local) return [];
    const parsed = SimplifiedTrack.safeParse(e.item ?? e.track);
    const t = parsed.success && (e.item ?? e.track)?.type === 'track' ? parsed.data : undefined;
    return t ? albumTracks([t]) : [];
  });
}
