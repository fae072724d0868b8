/**
 * What the submitting side ({@link PgQueue}) and the working side (`QueueWorker`) of one
 * instance share: the connections, the keys, the limits, and how to send a message.
 */
import type pg from 'pg';
import type { PgBoss } from 'pg-boss';
import type { z } from 'zod';
import type { QueueKeys } from './keys.ts';
import type { QueueMessage } from './messages.ts';
import { inTransaction } from '../../eventlog/postgres/index.ts';
import { QueueError } from './errors.ts';

/** The few pino methods the queue uses (a pino child logger fits). */
export interface QueueLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export const NO_LOG: QueueLogger = { info() {}, warn() {} };

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
const MAX_NOTIFY_BYTES = 7_900;

/** See the module comment. */
export class QueueRuntime<P extends object, G> {
  readonly boss: PgBoss;
  readonly pool: pg.Pool;
  readonly session: pg.Client;
  readonly keys: QueueKeys;
  readonly log: QueueLogger;
  readonly schema: string;
  readonly payload: z.ZodType<P>;
  readonly progress: z.ZodType<G>;
  readonly perUserWaiting: number;
  readonly globalConcurrency: number;
  readonly jobTimeoutMs: number;
  readonly heartbeatSeconds: number;
  readonly claimGraceMs: number;
  readonly reapIntervalMs: number;
  readonly pollMs: number;
  readonly onLost?: (jobId: string, payload: P) => Promise<void>;

  #sessionTail: Promise<unknown> = Promise.resolve();

  constructor(fields: Omit<QueueRuntime<P, G>, 'notify' | 'notifyIn' | 'onSession' | 'onSessionTransaction' | 'transaction'>) {
    this.boss = fields.boss;
    this.pool = fields.pool;
    this.session = fields.session;
    this.keys = fields.keys;
    this.log = fields.log;
    this.schema = fields.schema;
    this.payload = fields.payload;
    this.progress = fields.progress;
    this.perUserWaiting = fields.perUserWaiting;
    this.globalConcurrency = fields.globalConcurrency;
    this.jobTimeoutMs = fields.jobTimeoutMs;
    this.heartbeatSeconds = fields.heartbeatSeconds;
    this.claimGraceMs = fields.claimGraceMs;
    this.reapIntervalMs = fields.reapIntervalMs;
    this.pollMs = fields.pollMs;
    if (fields.onLost) this.onLost = fields.onLost;
  }

  /**
   * Runs one statement on the session, after the ones already asked for: node-postgres will stop
   * queueing overlapping queries on one client, and the worker's loops share this one.
   */
  onSession<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    const result = this.#sessionTail.then(() => this.session.query<R>(text, values));
    this.#sessionTail = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs `fn` in a transaction on the session, with nothing else on the session in between.
   * Session-level advisory locks taken inside outlive the commit, which is the point.
   */
  onSessionTransaction<T>(fn: (session: pg.Client) => Promise<T>): Promise<T> {
    const result = this.#sessionTail.then(async () => {
      await this.session.query('BEGIN');
      try {
        const value = await fn(this.session);
        await this.session.query('COMMIT');
        return value;
      } catch (err) {
        await this.session.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
    this.#sessionTail = result.catch(() => undefined);
    return result;
  }

  /** Runs `fn` in a transaction on a pooled connection; rolls back when it throws. */
  transaction<T>(fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  /** Sends `message` to every instance of this queue now. */
  notify(message: QueueMessage): Promise<unknown> {
    return this.notifyIn(this.pool, message);
  }

  /** Sends `message` through `db` (inside a transaction: at its commit, or never). */
  async notifyIn(db: pg.Pool | pg.PoolClient | pg.Client, message: QueueMessage): Promise<void> {
    const text = JSON.stringify(message);
    if (Buffer.byteLength(text) > MAX_NOTIFY_BYTES) throw new QueueError('QUEUE_BAD_PAYLOAD', `a ${message.t} message of ${Buffer.byteLength(text)} bytes is over NOTIFY's limit`);
    await db.query('SELECT pg_notify($1, $2)', [this.keys.channel, text]);
  }
}

/** pg-boss's `db` option over one of our connections, so its statements join our transaction. */
export function adapter(client: pg.PoolClient | pg.Client): { executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }> } {
  return { executeSql: (text, values) => client.query(text, values as unknown[]) };
}
