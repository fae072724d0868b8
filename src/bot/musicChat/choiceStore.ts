/**
 * Choices offered on buttons (the top candidates of an unsure match, the tracks of an
 * album) kept under a short random id, because their URLs do not fit Telegram's 64-byte
 * callback data. Bounded in size and age: an old button answers "expired" and the user sends
 * the link again.
 *
 * {@link MemoryChoiceStore} keeps them in this process (lost on restart, which is fine for one
 * process); with PostgreSQL, `src/music/cache/pgChoiceStore.ts` keeps them in the database,
 * because the worker that offers a choice and the web instance that gets the press are
 * different processes.
 */
import { randomBytes } from 'node:crypto';
import type { MusicLink } from '../../music/links/index.ts';
import type { Candidate } from '../../music/matcher/index.ts';
import type { TrackInfo } from '../../music/types.ts';

/** What a button of a choice message stands for. */
export type Choice =
  | { readonly kind: 'candidates'; readonly link: MusicLink; readonly track: TrackInfo; readonly candidates: readonly Candidate[] }
  | {
      readonly kind: 'collection';
      readonly links: readonly MusicLink[];
      /** "Artist — Title" per link, for "Send all"'s progress and summary (absent: a search's results). */
      readonly names?: readonly string[];
    };

/** Where choices are kept (see the module comment). */
export interface ChoiceStore {
  /** Stores a choice; resolves its id (10 URL-safe characters). */
  put(choice: Choice): Promise<string>;
  /** The choice, unless unknown or expired. */
  get(id: string): Promise<Choice | undefined>;
}

/** A new choice id: 10 URL-safe characters (60 random bits). */
export const newChoiceId = (): string => randomBytes(8).toString('base64url').slice(0, 10);

/** Options of {@link MemoryChoiceStore}. */
export interface ChoiceStoreOptions {
  /** Default 6 h. */
  readonly ttlMs?: number;
  /** Default 5000 choices; the oldest go first. */
  readonly max?: number;
  readonly now?: () => number;
}

/** Choices in this process's memory. */
export class MemoryChoiceStore implements ChoiceStore {
  readonly #entries = new Map<string, { choice: Choice; at: number }>();
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(o: ChoiceStoreOptions = {}) {
    this.#ttl = o.ttlMs ?? 6 * 3600_000;
    this.#max = o.max ?? 5000;
    this.#now = o.now ?? Date.now;
  }

  async put(choice: Choice): Promise<string> {
    const id = newChoiceId();
    this.#entries.set(id, { choice, at: this.#now() });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return id;
  }

  async get(id: string): Promise<Choice | undefined> {
    const e = this.#entries.get(id);
    if (!e) return undefined;
    if (this.#now() - e.at > this.#ttl) {
      this.#entries.delete(id);
      return undefined;
    }
    return e.choice;
  }
}
