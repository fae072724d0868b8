/**
 * Subscriptions across processes: every append's transaction sends `NOTIFY <channel>` with
 * the new head, delivered to every listening connection when it commits. A store keeps one
 * dedicated `LISTEN` connection; a notification only says "there is more" – each
 * subscription then reads the log from its own next position. So nothing depends on a
 * notification arriving: a lost listen connection is re-opened (and every subscription
 * catches up by position), and a slow poll backs that up. Appends are handed over whole
 * (the `append_end` column marks an append's last event), in global order, each once.
 *
 * @module
 */
import pg from 'pg';
import type { EventRegistry } from '../registry.ts';
import type { AnyEvent, AppendListener, Envelope, EventLogLogger } from '../types.ts';
import { readRows } from './reads.ts';

interface Subscription<E extends AnyEvent> {
  next: number;
  listener: AppendListener<E>;
  running: boolean;
  again: boolean;
  stopped: boolean;
}

/** Options of {@link Subscriptions}. */
export interface SubscriptionsOptions<E extends AnyEvent> {
  pool: pg.Pool;
  /** Connection settings for the dedicated LISTEN connection (the pool's). */
  clientConfig: pg.ClientConfig;
  schema: string;
  channel: string;
  registry: EventRegistry<E>;
  logger: EventLogLogger;
  /** Reads every subscription's log tail this often even without a notification (ms). */
  pollIntervalMs: number;
}

/** The LISTEN connection and the subscriptions of one store. */
export class Subscriptions<E extends AnyEvent> {
  readonly #subs = new Set<Subscription<E>>();
  #client: pg.Client | null = null;
  #connecting: Promise<void> | null = null;
  #closed = false;
  #poll: NodeJS.Timeout | null = null;
  #reconnect: NodeJS.Timeout | null = null;

  constructor(private readonly o: SubscriptionsOptions<E>) {}

  /** Registers a subscription starting at global position `from`. */
  add(from: number, listener: AppendListener<E>): () => void {
    const sub: Subscription<E> = { next: Math.max(0, from), listener, running: false, again: false, stopped: false };
    this.#subs.add(sub);
    this.#ensureListening();
    this.#pump(sub);
    return () => {
      sub.stopped = true;
      this.#subs.delete(sub);
      if (this.#subs.size === 0) this.#stopListening();
    };
  }

  /** Wakes every subscription (a notification, a reconnect, the poll, or a local commit). */
  wake(): void {
    for (const sub of this.#subs) this.#pump(sub);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#subs.clear();
    await this.#stopListening();
  }

  #ensureListening(): void {
    if (this.#client || this.#connecting || this.#closed) return;
    this.#connecting = this.#listen().finally(() => (this.#connecting = null));
    if (!this.#poll) {
      this.#poll = setInterval(() => this.wake(), this.o.pollIntervalMs);
      this.#poll.unref();
    }
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({ ...this.o.clientConfig, application_name: 'eventlog-listen' });
    client.on('notification', (n) => n.channel === this.o.channel && this.wake());
    client.on('error', (err) => this.#lost(client, err));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.o.channel}`);
    } catch (err) {
      this.#lost(client, err);
      return;
    }
    if (this.#closed || this.#subs.size === 0) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    // Whatever was appended while no connection listened is read now.
    this.wake();
  }

  #lost(client: pg.Client, err?: unknown): void {
    if (this.#client === client) this.#client = null;
    client.removeAllListeners('end');
    client.end().catch(() => {});
    if (this.#closed || this.#subs.size === 0 || this.#reconnect) return;
    this.o.logger.warn({ code: (err as { code?: string } | undefined)?.code }, 'event log listen connection lost; reconnecting');
    this.#reconnect = setTimeout(() => {
      this.#reconnect = null;
      this.#ensureListening();
    }, 100);
    this.#reconnect.unref();
  }

  async #stopListening(): Promise<void> {
    if (this.#poll) clearInterval(this.#poll);
    if (this.#reconnect) clearTimeout(this.#reconnect);
    this.#poll = this.#reconnect = null;
    await this.#connecting;
    const client = this.#client;
    this.#client = null;
    if (client) {
      client.removeAllListeners('end');
      client.removeAllListeners('error');
      client.on('error', () => {});
      await client.end().catch(() => {});
    }
  }

  /** Reads from `sub.next` to the end, handing over whole appends; one read at a time per subscription. */
  #pump(sub: Subscription<E>): void {
    if (sub.running) {
      sub.again = true;
      return;
    }
    sub.running = true;
    void (async () => {
      do {
        sub.again = false;
        let run: Envelope<E>[] = [];
        for await (const { env, appendEnd } of readRows(this.o.pool, this.o.schema, this.o.registry, sub.next)) {
          if (sub.stopped) return;
          run.push(env);
          if (!appendEnd) continue;
          sub.next = env.meta.globalPosition + 1;
          await this.#deliver(sub, run);
          run = [];
        }
      } while (sub.again && !sub.stopped);
    })()
      .catch((err) => {
        // Retried at the next wake-up (notification or poll), from the same position.
        if (!this.#closed) this.o.logger.error({ code: (err as { code?: string }).code, err: err instanceof Error && !('severity' in err) ? err : undefined }, 'event subscription read failed');
      })
      .finally(() => {
        sub.running = false;
      });
  }

  async #deliver(sub: Subscription<E>, events: Envelope<E>[]): Promise<void> {
    try {
      // Awaited: a subscriber sees appends one after another, never two at once.
      await sub.listener(events);
    } catch (err) {
      this.o.logger.error({ err }, 'event listener failed');
    }
  }
}
