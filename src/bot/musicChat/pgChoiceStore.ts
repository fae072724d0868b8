/**
 * The {@link ChoiceStore} on PostgreSQL, for bots whose instances share one database: a worker
 * offers a choice (an unsure match's candidates, an album's tracks), and whichever web instance
 * gets the press reads it. Rows live in the music module's schema (`choices`, migration 2 of
 * `src/music/cache/pgAudioCache.ts`), expire after the same 6 h as in memory and are swept by
 * age at most once a minute.
 *
 * A row is read back through zod, and its links through the link parser again (their key must
 * come out the same): the database is shared with other processes and versions of the bot.
 * Links are stored sealed ({@link LinkSeal}): a private SoundCloud album's tracks carry its secret.
 */
import type pg from 'pg';
import { z } from 'zod';
import { quoteIdent } from '../../../eventlog/postgres/index.ts';
import type { MusicLink } from '../../music/links/index.ts';
import type { Candidate } from '../../music/matcher/index.ts';
import type { TrackInfo } from '../../music/types.ts';
import { newChoiceId, type Choice, type ChoiceStore } from './choiceStore.ts';
import { reparseLink, StoredLinkSchema, type LinkSeal, type StoredLink } from './linkSeal.ts';

const PLATFORM = z.enum(['spotify', 'yandex', 'youtube', 'soundcloud', 'apple', 'deezer', 'tidal']);

/** `Candidate` (src/music/matcher/types.ts); `satisfies` keeps the two from drifting apart. */
const CandidateSchema = z.object({
  id: z.string(),
  title: z.string(),
  uploader: z.string(),
  artists: z.array(z.string()).optional(),
  durationSec: z.number().nonnegative().optional(),
  isrc: z.string().optional(),
  source: z.enum(['youtube-music', 'youtube', 'soundcloud']),
  url: z.string().url(),
  views: z.number().nonnegative().optional(),
}) satisfies z.ZodType<Candidate>;

/** `TrackInfo` (src/music/types.ts). */
const TrackInfoSchema = z.object({
  title: z.string(),
  artists: z.array(z.string()),
  album: z.string().optional(),
  durationSec: z.number().nonnegative().optional(),
  isrc: z.string().optional(),
  explicit: z.boolean().optional(),
  platform: PLATFORM,
  pageUrl: z.string(),
  coverUrl: z.string().optional(),
}) satisfies z.ZodType<TrackInfo>;

const StoredChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('candidates'), link: StoredLinkSchema, track: TrackInfoSchema, candidates: z.array(CandidateSchema).max(100) }),
  z.object({ kind: z.literal('collection'), links: z.array(StoredLinkSchema).max(100), names: z.array(z.string()).max(100).optional() }),
]);

/** Options of {@link PgChoiceStore}. */
export interface PgChoiceStoreOptions {
  /** The music module's schema (`DATABASE_MUSIC_SCHEMA`), migrated by the `file_id` cache. */
  readonly schema: string;
  /** Default 6 h, as in memory. */
  readonly ttlMs?: number;
  /** Seals the links (every instance derives the same key from `TOKEN_ENCRYPTION_KEY`). */
  readonly seal: LinkSeal;
}

/** See the module comment. */
export class PgChoiceStore implements ChoiceStore {
  readonly #table: string;
  readonly #ttlMs: number;
  readonly #seal: LinkSeal;
  #lastSweep = 0;

  constructor(
    private readonly pool: pg.Pool,
    o: PgChoiceStoreOptions,
  ) {
    this.#table = `${quoteIdent(o.schema)}.choices`;
    this.#ttlMs = o.ttlMs ?? 6 * 3600_000;
    this.#seal = o.seal;
  }

  async put(choice: Choice): Promise<string> {
    const id = newChoiceId();
    const stored = (l: MusicLink) => this.#seal.seal(l);
    const row =
      choice.kind === 'candidates'
        ? { kind: 'candidates', link: stored(choice.link), track: choice.track, candidates: choice.candidates }
        : { kind: 'collection', links: choice.links.map(stored), ...(choice.names && { names: choice.names }) };
    await this.pool.query(`INSERT INTO ${this.#table} (id, choice) VALUES ($1, $2)`, [id, JSON.stringify(row)]);
    await this.#sweep();
    return id;
  }

  async get(id: string): Promise<Choice | undefined> {
    const { rows } = await this.pool.query<{ choice: unknown }>(
      `SELECT choice FROM ${this.#table} WHERE id = $1 AND created_at > now() - make_interval(secs => $2::float8 / 1000)`,
      [id, this.#ttlMs],
    );
    const parsed = StoredChoice.safeParse(rows[0]?.choice);
    if (!parsed.success) return undefined;
    const c = parsed.data;
    const linkOf = (s: StoredLink) => this.#linkOf(s);
    if (c.kind === 'candidates') {
      const link = linkOf(c.link);
      return link && { kind: 'candidates', link, track: c.track, candidates: c.candidates };
    }
    const links = c.links.map(linkOf);
    if (links.some((l) => l === undefined)) return undefined;
    return { kind: 'collection', links: links as MusicLink[], ...(c.names && { names: c.names }) };
  }

  /** A stored link opened and parsed again; undefined when it does not open or no longer parses to its key. */
  #linkOf(s: StoredLink): MusicLink | undefined {
    const plain = this.#seal.open(s);
    return plain && reparseLink(plain);
  }

  /** Deletes expired rows, at most once a minute per instance. */
  async #sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    await this.pool.query(`DELETE FROM ${this.#table} WHERE created_at < now() - make_interval(secs => $1::float8 / 1000)`, [this.#ttlMs]).catch(() => undefined);
  }
}
