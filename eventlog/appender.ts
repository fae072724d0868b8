/**
 * Turns a group of queued appends into one atomic, synced batch: version checks against
 * the stream-version cache, envelopes with gap-free positions, inline projection writes,
 * checkpoints and the callers' extra ops. Each append is accepted or rejected on its own;
 * a rejected one leaves nothing in the batch.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { ProjectionError, VersionConflictError } from './errors.ts';
import { positionKey, streamKey } from './keys.ts';
import { storedEvents } from './storedEvents.ts';
import { Lru } from './lru.ts';
import type { ProjectionSet } from './projections.ts';
import type { ReplayContext } from './replay.ts';
import type { AnyEvent, AppendListener, AppendResult, BatchOp, Envelope, EventLogLogger, ExpectedVersion } from './types.ts';
import { writeBatch } from './writeBatch.ts';

/** An append waiting in the writer's queue; its events are already validated. */
export interface PendingAppend<E extends AnyEvent> {
  stream: string;
  events: { type: string; v: number; data: unknown }[];
  expectedVersion: ExpectedVersion;
  correlationId: string;
  extraOps: readonly BatchOp[];
  resolve(result: AppendResult<E>): void;
  reject(err: unknown): void;
}

interface Accepted<E extends AnyEvent> {
  append: PendingAppend<E>;
  envelopes: Envelope<E>[];
  version: number;
}

/** Owns the log head, the stream-version cache and the subscribers of one store. */
export class Appender<E extends AnyEvent> {
  readonly #versions: Lru<string, number>;
  readonly #listeners = new Set<AppendListener<E>>();

  constructor(
    private readonly ctx: ReplayContext,
    private readonly projections: ProjectionSet,
    private readonly now: () => Date,
    private readonly logger: EventLogLogger,
    /** Global position of the last committed event (-1: empty log). */
    public head: number,
    versionCacheSize = 100_000,
  ) {
    this.#versions = new Lru(versionCacheSize);
  }

  /** The committed version of `stream`, from the cache or (once) from the `heads` keyspace. */
  versionOf(stream: string): number {
    const cached = this.#versions.get(stream);
    if (cached !== undefined) return cached;
    const raw = this.ctx.ks.heads.getSync(stream);
    const version = raw === undefined ? -1 : Number(raw);
    this.#versions.set(stream, version);
    return version;
  }

  /** Adds a listener for committed appends; returns the unsubscribe function. */
  subscribe(listener: AppendListener<E>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Writes one group; settles every append in it and never throws. */
  readonly commitGroup = async (group: PendingAppend<E>[]): Promise<void> => {
    const accepted: Accepted<E>[] = [];
    try {
      const ops: BatchOp[] = [];
      const tables = this.projections.beginGroup();
      const versions = new Map<string, number>();
      let position = this.head;
      for (const append of group) {
        const current = versions.get(append.stream) ?? this.versionOf(append.stream);
        const expected = append.expectedVersion;
        if (expected !== 'any' && expected !== current) {
          append.reject(new VersionConflictError(append.stream, expected, current));
          continue;
        }
        let stored: { raw: string; env: Envelope<E> }[];
        try {
          stored = this.#envelopes(append, current, position);
          for (const t of tables) t.stage();
          for (const { env } of stored) this.#evolve(env, tables);
          for (const t of tables) t.commitStage();
        } catch (err) {
          for (const t of tables) t.dropStage();
          append.reject(err);
          continue;
        }
        const envelopes = stored.map((s) => s.env);
        for (const { raw, env } of stored) {
          const key = positionKey(env.meta.globalPosition);
          ops.push({ type: 'put', sublevel: this.ctx.ks.log, key, value: raw });
          ops.push({ type: 'put', sublevel: this.ctx.ks.streams, key: streamKey(append.stream, env.meta.streamPosition), value: key });
        }
        const version = current + envelopes.length;
        if (envelopes.length > 0) ops.push({ type: 'put', sublevel: this.ctx.ks.heads, key: append.stream, value: String(version) });
        ops.push(...append.extraOps);
        position += envelopes.length;
        versions.set(append.stream, version);
        accepted.push({ append, envelopes, version });
      }
      if (accepted.length === 0) return;
      this.projections.groupOps(tables, position, ops);
      await writeBatch(this.ctx.db, ops, true);
      this.head = position;
      for (const [stream, version] of versions) this.#versions.set(stream, version);
      this.projections.afterCommit(tables);
    } catch (err) {
      // The batch did not commit: nothing of this group was written. Rejecting an append
      // that was already rejected (a conflict) is a no-op.
      this.logger.error({ err, appends: group.length }, 'event batch write failed');
      for (const append of group) append.reject(err);
      return;
    }
    for (const a of accepted) {
      this.#notify(a.envelopes);
      a.append.resolve({ nextExpectedVersion: a.version, lastGlobalPosition: a.envelopes.at(-1)?.meta.globalPosition ?? this.head, events: a.envelopes });
    }
  };

  #envelopes(append: PendingAppend<E>, version: number, position: number): { raw: string; env: Envelope<E> }[] {
    return storedEvents<E>(this.ctx.registry, append, version, position, this.now().toISOString(), append.events.map(() => randomUUID()));
  }

  #evolve(env: Envelope<E>, tables: ReturnType<ProjectionSet['beginGroup']>): void {
    this.projections.projections.forEach((p, i) => {
      try {
        p.evolve(env, tables[i]!);
      } catch (err) {
        throw new ProjectionError(p.name, env.type, env.meta.globalPosition, { cause: err });
      }
    });
  }

  #notify(events: readonly Envelope<E>[]): void {
    if (events.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        const r = listener(events);
        if (r && typeof (r as Promise<void>).catch === 'function') {
          (r as Promise<void>).catch((err) => this.logger.error({ err }, 'event listener failed'));
        }
      } catch (err) {
        this.logger.error({ err }, 'event listener failed');
      }
    }
  }
}
