/**
 * Load → decide → append → apply for one user, the only way link events are written.
 *
 * Each user's work runs in their lane of a {@link SerialQueue} (the one the bot uses for its
 * updates), so two commands for one user never
 * interleave inside this process; the append still carries the expected version, so a second
 * writer (another process on a copy, a bug) shows up as a {@link VersionConflictError}, after
 * which the user is reloaded from disk and the command decided once more.
 *
 * Data keys that a decision ends are shredded **in the same atomic batch** as the events
 * that end them, and a new data key is created in the batch of the event that first uses it.
 */
import { randomUUID } from 'node:crypto';
import { NO_STREAM, VersionConflictError, type BatchOp, type Envelope, type EventLog, type TokenVault } from '../../eventlog/index.ts';
import type { LinkEvent } from '../../machines/spotifyLink.events.ts';
import type { LinkSnapshot } from '../../machines/spotifyLink.machine.ts';
import type { LinkCommand } from './commands.ts';
import { decide, keysToShred, type LinkDecision } from './decide.ts';
import { linkStream, userIdOfStream } from './linkLog.ts';
import type { LinkTables, TokenRow } from './linkTables.ts';
import { rememberDecided, restoreSnapshot } from './projections.ts';
import { SerialQueue } from '../perUser/serialQueue.ts';

/** A user's link as last seen: the machine snapshot and the stream version it reflects. */
export interface LoadedLink {
  snapshot: LinkSnapshot;
  version: number;
}

/** What a command built for the current snapshot looks like. */
export interface PlannedCommand<Op = BatchOp> {
  command: LinkCommand;
  /** Extra atomic writes (a new data key's put). */
  extraOps?: readonly Op[];
}

/** The result of {@link LinkRepository.execute}. */
export interface Executed {
  before: LinkSnapshot;
  after: LinkSnapshot;
  decision: LinkDecision;
  /** Data keys shredded by this decision. */
  shredded: string[];
}

const MAX_CACHED_USERS = 50_000;

/** Per-user load/decide/append on the event store, with a snapshot cache. */
export class LinkRepository<Op = BatchOp> {
  readonly #lanes = new SerialQueue<number>();
  readonly #cache = new Map<number, LoadedLink>();
  /** Rows of `tokens` as last read (null: the user has no link); dropped by every append of the user. */
  readonly #tokens = new Map<number, TokenRow | null>();
  /**
   * Bumped by every {@link forget}: a read that started before another process's append was
   * announced must not put what it read into the cache after the announcement dropped it.
   */
  readonly #generation = new Map<number, number>();
  readonly #appended = new Set<(events: readonly Envelope<LinkEvent>[]) => void>();

  constructor(
    private readonly store: EventLog<LinkEvent, Op>,
    private readonly tables: LinkTables,
    private readonly vault: Pick<TokenVault<Op>, 'shredOps'>,
  ) {}

  /** The user's cached link, if this process has it warm (no I/O, no promise: the token hot path). */
  peek(userId: number): LoadedLink | undefined {
    return this.#cache.get(userId);
  }

  /** The user's token row if this process has it warm (no I/O: the token hot path). */
  peekTokens(userId: number): TokenRow | null | undefined {
    return this.#tokens.get(userId);
  }

  /** The user's confirmed link's sealed tokens (the `tokens` table), null without a link. */
  async tokens(userId: number): Promise<TokenRow | null> {
    const cached = this.#tokens.get(userId);
    if (cached !== undefined) return cached;
    const generation = this.#generation.get(userId);
    const row = (await this.tables.tokens.get(userId)) ?? null;
    if (this.#generation.get(userId) !== generation) return row;
    if (this.#tokens.size >= MAX_CACHED_USERS) this.#tokens.clear();
    this.#tokens.set(userId, row);
    return row;
  }

  /** The user's current link (from memory when warm, else the `link_state` table). */
  async load(userId: number, fresh = false): Promise<LoadedLink> {
    const cached = fresh ? undefined : this.#cache.get(userId);
    if (cached) return cached;
    const generation = this.#generation.get(userId);
    const row = await this.tables.linkState.get(userId);
    const loaded: LoadedLink = { snapshot: restoreSnapshot(row), version: row?.version ?? NO_STREAM };
    if (this.#generation.get(userId) === generation) this.#remember(userId, loaded);
    return loaded;
  }

  /**
   * Runs `plan` for the user's current snapshot in the user's lane, decides the
   * command, appends its events (with shreds and `extraOps`) and returns what happened.
   * `plan` may return `null` to do nothing. A refusal comes back in `decision.error`.
   */
  execute(userId: number, plan: (snapshot: LinkSnapshot) => Promise<PlannedCommand<Op> | null>, correlationId?: string): Promise<Executed | null> {
    return this.#lanes.run(userId, async () => {
      try {
        return await this.#attempt(userId, plan, false, correlationId);
      } catch (err) {
        if (!(err instanceof VersionConflictError)) throw err;
        return this.#attempt(userId, plan, true, correlationId);
      }
    });
  }

  async #attempt(
    userId: number,
    plan: (snapshot: LinkSnapshot) => Promise<PlannedCommand<Op> | null>,
    fresh: boolean,
    correlationId: string | undefined,
  ): Promise<Executed | null> {
    const { snapshot: before, version } = await this.load(userId, fresh);
    const planned = await plan(before);
    if (!planned) return null;
    const decision = decide(before, planned.command);
    if (decision.events.length === 0) return { before, after: before, decision, shredded: [] };
    const { after } = decision;
    const shredded = keysToShred(before, after);
    const extraOps = [...(planned.extraOps ?? []), ...shredded.flatMap((keyId) => this.vault.shredOps(keyId))];
    const stream = linkStream(userId);
    // The store would make the same fresh id when none is given; here it also names the snapshots.
    const correlation = correlationId ?? randomUUID();
    const settled = rememberDecided(stream, version + 1, correlation, decision.snapshots);
    try {
      const result = await this.store.appendToStream(stream, decision.events, { expectedVersion: version, extraOps, correlationId: correlation });
      this.#remember(userId, { snapshot: after, version: result.nextExpectedVersion });
      for (const listener of this.#appended) listener(result.events);
    } catch (err) {
      this.#cache.delete(userId);
      throw err;
    } finally {
      settled();
      this.#tokens.delete(userId);
    }
    return { before, after, decision, shredded };
  }

  /**
   * Tells `listener` of every append this process made, once durable: what it counts is counted
   * once however many processes share the log (a log subscription would show each process every
   * append). Returns the unsubscribe function.
   */
  onAppended(listener: (events: readonly Envelope<LinkEvent>[]) => void): () => void {
    this.#appended.add(listener);
    return () => this.#appended.delete(listener);
  }

  /** Resolves once no command is queued or being written (graceful shutdown). */
  whenIdle(): Promise<void> {
    return this.#lanes.whenIdle();
  }

  /** Drops the cached snapshot of a user (after an outside change: another process's append, a restore). */
  forget(userId: number): void {
    this.#cache.delete(userId);
    this.#tokens.delete(userId);
    if (this.#generation.size >= MAX_CACHED_USERS) this.#generation.clear();
    this.#generation.set(userId, (this.#generation.get(userId) ?? 0) + 1);
  }

  /**
   * Forgets every user whose stream another process appends to, as the log announces it
   * (PostgreSQL's LISTEN/NOTIFY). Own appends are announced too; forgetting those costs one read.
   * Returns the unsubscribe function.
   */
  followOtherWriters(): () => void {
    return this.store.subscribe((events) => {
      for (const e of events) {
        const userId = userIdOfStream(e.meta.stream);
        if (userId !== undefined) this.forget(userId);
      }
    });
  }

  #remember(userId: number, loaded: LoadedLink): void {
    if (this.#cache.size >= MAX_CACHED_USERS && !this.#cache.has(userId)) this.#cache.clear();
    this.#cache.set(userId, loaded);
  }
}
