/**
 * The queue of updates waiting for the bot, with Telegram's `getUpdates` semantics:
 *
 * - an update stays queued until a later call confirms it with `offset` > its `update_id`
 *   (a negative `offset` keeps only the last `-offset` updates);
 * - `limit` (1-100, default 100) caps one answer;
 * - `timeout` > 0 holds the request until an update arrives or the timeout elapses;
 * - `allowed_updates` is remembered across calls and filters updates as they are created
 *   (default: everything but `chat_member`, `message_reaction`, `message_reaction_count`);
 * - a second long poll while one is held ends the first with 409 Conflict, as Telegram does
 *   when two bot instances poll at once.
 */
import type { Update } from 'grammy/types';
import { FakeApiError } from './fakeBotApiWorld.ts';

const excludedByDefault = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/** Parameters of one `getUpdates` call, already decoded. */
export interface PollParams {
  offset?: number;
  limit?: number;
  timeout?: number;
  allowed_updates?: string[];
}

interface Waiter {
  limit: number;
  finish: (result: Update[] | FakeApiError) => void;
}

/** The kind of an update: its one field besides `update_id`. */
export function updateKind(update: Update): string {
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
}

/** Pending updates plus at most one held long poll. */
export class UpdateQueue {
  private pending: Update[] = [];
  private allowed: Set<string> | undefined;
  private waiter: Waiter | undefined;
  private pollWatchers: (() => void)[] = [];
  private closed = false;
  /** Updates that `allowed_updates` filtered out at creation, as Telegram would never send them. */
  readonly filteredOut: Update[] = [];

  /** How many updates wait for confirmation. */
  get size(): number {
    return this.pending.length;
  }

  /** True while a long poll is held open. */
  get polling(): boolean {
    return this.waiter !== undefined;
  }

  /** Whether the bot's `allowed_updates` setting lets this kind of update through. */
  allows(kind: string): boolean {
    return this.allowed ? this.allowed.has(kind) : !excludedByDefault.has(kind);
  }

  /** Sets `allowed_updates` (from getUpdates or setWebhook); an empty list means the default. */
  setAllowed(list: readonly string[] | undefined): void {
    if (list === undefined) return;
    this.allowed = list.length === 0 ? undefined : new Set(list);
  }

  /** Queues an update; answers a held poll at once. Returns false when filtered out. */
  push(update: Update): boolean {
    if (!this.allows(updateKind(update))) {
      this.filteredOut.push(update);
      return false;
    }
    this.pending.push(update);
    if (this.waiter) {
      const { limit, finish } = this.waiter;
      this.waiter = undefined;
      finish(this.pending.slice(0, limit));
    }
    return true;
  }

  /** Removes and returns the oldest pending update (webhook delivery takes them one by one). */
  shift(): Update | undefined {
    return this.pending.shift();
  }

  /** Forgets every pending update (`drop_pending_updates`). */
  dropPending(): void {
    this.pending = [];
  }

  /** Answers one `getUpdates` call; `signal` ends a held poll when the client goes away. */
  poll(params: PollParams, signal?: AbortSignal): Promise<Update[]> {
    this.setAllowed(params.allowed_updates);
    const offset = params.offset ?? 0;
    if (offset > 0) this.pending = this.pending.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.pending = this.pending.slice(offset);
    const limit = Math.min(100, Math.max(1, params.limit ?? 100));
    const timeout = params.timeout ?? 0;
    if (this.pending.length > 0 || timeout <= 0 || this.closed) return Promise.resolve(this.pending.slice(0, limit));
    if (this.waiter) {
      this.waiter.finish(new FakeApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    }
    return new Promise<Update[]>((resolve, reject) => {
      const finish = (result: Update[] | FakeApiError): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.waiter === waiter) this.waiter = undefined;
        if (result instanceof FakeApiError) reject(result);
        else resolve(result);
      };
      const waiter: Waiter = { limit, finish };
      const timer = setTimeout(() => finish([]), timeout * 1000);
      const onAbort = (): void => finish([]);
      signal?.addEventListener('abort', onAbort);
      this.waiter = waiter;
      for (const watcher of this.pollWatchers.splice(0)) watcher();
    });
  }

  /** Resolves once a long poll is being held (at once if one already is). */
  whenPolling(): Promise<void> {
    if (this.waiter) return Promise.resolve();
    return new Promise((resolve) => this.pollWatchers.push(resolve));
  }

  /** Ends a held poll with an empty answer and makes later polls return at once. */
  close(): void {
    this.closed = true;
    this.waiter?.finish([]);
    for (const watcher of this.pollWatchers.splice(0)) watcher();
  }
}
