/**
 * What `replay export` copies, read from one consistent state of a store: the stored event
 * records (raw, not decoded or upcast), the vault's wrapped data keys and the key check
 * values. The log and the keys must come from the same moment – a key shredded after the
 * last exported event would leave that user's tokens unreadable in the copy although no
 * `Unlinked` says so.
 *
 * - LevelDB: the reader holds the directory (or works on a `--copy`), so nothing changes
 *   underneath; the keyspaces are read directly.
 * - PostgreSQL: one `REPEATABLE READ READ ONLY` transaction, so events and keys come from one
 *   snapshot while bots keep appending.
 *
 * @module
 */
import type pg from 'pg';
import { levelVaultStorage, type RootDb } from '../../../eventlog/index.ts';
import { keyspaces, parsePositionKey } from '../../../eventlog/keys.ts';
import { inTransaction } from '../../../eventlog/postgres/index.ts';
import type { ExportSource } from './exportFormat.ts';

/** A consistent view of a store's log and vault, for the duration of one callback. */
export interface LogSnapshot {
  readonly source: ExportSource;
  /** Global position of the last event (-1: empty log); records beyond it are not read. */
  readonly head: number;
  /** `[global position, stored record text]` in global order, `0..head`. */
  records(): AsyncIterable<[number, string]>;
  /** `[link id, wrapped data key record]` in link id byte order. */
  dataKeys(): AsyncIterable<[string, string]>;
  /** `[master key id, key check value]` in id order. */
  keyChecks(): Promise<[string, string][]>;
}

const PAGE = 1000;

/** The snapshot of a LevelDB store nobody else writes (a stopped bot's data dir, or a copy). */
export function levelSnapshot(db: RootDb, head: number): LogSnapshot {
  const ks = keyspaces(db);
  // The vault storage's own reads; its writes (and so its lock) are never used here.
  const vault = levelVaultStorage(db, (fn) => fn());
  return {
    source: 'leveldb',
    head,
    async *records() {
      for await (const [key, raw] of ks.log.iterator()) {
        const position = parsePositionKey(key);
        if (position > head) return;
        yield [position, raw];
      }
    },
    async *dataKeys() {
      let after: string | undefined;
      for (;;) {
        const page = await vault.page(after, PAGE);
        yield* page;
        if (page.length < PAGE) return;
        after = page.at(-1)![0];
      }
    },
    async keyChecks() {
      return [...(await vault.keyCheckValues())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    },
  };
}

/**
 * Runs `fn` on a snapshot of the PostgreSQL store in `schema` (quoted), inside one read-only
 * REPEATABLE READ transaction that ends when `fn` settles.
 */
export function withPgSnapshot<T>(pool: pg.Pool, schema: string, fn: (snapshot: LogSnapshot) => Promise<T>): Promise<T> {
  return inTransaction(
    pool,
    async (client) => {
      const { rows } = await client.query<{ head: string }>(`SELECT coalesce(max(global_position), -1)::text AS head FROM ${schema}.events`);
      const head = Number(rows[0]!.head);
      return fn({
        source: 'postgresql',
        head,
        async *records() {
          for (let next = 0; next <= head; ) {
            const page = await client.query<{ p: string; record: string }>(
              `SELECT global_position::text AS p, record FROM ${schema}.events WHERE global_position >= $1 AND global_position <= $2 ORDER BY global_position LIMIT ${PAGE}`,
              [String(next), String(head)],
            );
            for (const r of page.rows) yield [Number(r.p), r.record];
            if (page.rows.length < PAGE) return;
            next = Number(page.rows.at(-1)!.p) + 1;
          }
        },
        async *dataKeys() {
          let after: string | null = null;
          for (;;) {
            const page: pg.QueryResult<{ link_id: string; wrapped: string }> = await client.query<{ link_id: string; wrapped: string }>(
              `SELECT link_id, wrapped FROM ${schema}.vault_keys WHERE $1::text IS NULL OR link_id > $1 ORDER BY link_id LIMIT ${PAGE}`,
              [after],
            );
            for (const r of page.rows) yield [r.link_id, r.wrapped] as [string, string];
            if (page.rows.length < PAGE) return;
            after = page.rows.at(-1)!.link_id;
          }
        },
        async keyChecks() {
          const { rows: checks } = await client.query<{ id: string; kcv: string }>(
            `SELECT master_key_id AS id, kcv FROM ${schema}.vault_key_checks ORDER BY master_key_id COLLATE "C"`,
          );
          return checks.map((r) => [r.id, r.kcv] as [string, string]);
        },
      });
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}
