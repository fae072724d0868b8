/**
 * Choices offered on buttons (the top candidates of an unsure match, the tracks of an
 * album) kept in memory under a short random id, because their URLs do not fit Telegram's
 * 64-byte callback data. Bounded in size and age: an old button answers "expired" and the
 * user sends the link again. Lost on restart for the same reason, which is fine.
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

/** Options of {@link ChoiceStore}. */
export interface ChoiceStoreOptions {
  /** Default 6 h. */
  readonly ttlMs?: number;
  /** Default 5000 choices; the oldest go first. */
  readonly max?: number;
  readonly now?: () => number;
}

/** See the module comment. */
export class ChoiceStore {
  readonly #entries = new Map<string, { choice: Choice; at: number }>();
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(o: ChoiceStoreOptions = {}) {
    this.#ttl = o.ttlMs ?? 6 * 3600_000;
    this.#max = o.max ?? 5000;
    this.#now = o.now ?? Date.now;
  }

  /** Stores a choice; returns its id (10 URL-safe characters). */
  put(choice: Choice): string {
    const id = randomBytes(8).toString('base64url').slice(0, 10);
    this.#entries.set(id, { choice, at: this.#now() });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return id;
  }

  /** The choice, unless unknown or expired. */
  get(id: string): Choice | undefined {
    const e = this.#entries.get(id);
    if (!e) return undefined;
    if (this.#now() - e.at > this.#ttl) {
      this.#entries.delete(id);
      return undefined;
    }
    return e.choice;
  }
}
