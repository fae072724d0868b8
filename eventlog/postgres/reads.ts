/**
 * Reading the PostgreSQL log: in global order, in chunks (keyset pagination on the primary
 * key), each record decoded by the same registry and trust rule as on LevelDB.
 *
 * @module
 */
import type pg from 'pg';
import { positionKey } from '../keys.ts';
import type { DecodeCheck, EventRegistry } from '../registry.ts';
import type { AnyEvent, Envelope } from '../types.ts';

const CHUNK = 1000;

/** A decoded event and whether it ends its append. */
export interface ReadRow<E extends AnyEvent> {
  env: Envelope<E>;
  appendEnd: boolean;
}

/** Rows `from..to` (inclusive; `to` omitted: to the end) in global order. */
export async function* readRows<E extends AnyEvent>(
  db: pg.Pool | pg.ClientBase,
  schema: string,
  registry: EventRegistry<E>,
  from: number,
  to = Number.MAX_SAFE_INTEGER,
  check: DecodeCheck = 'trusted',
): AsyncGenerator<ReadRow<E>> {
  let next = Math.max(0, from);
  while (next <= to) {
    const { rows } = await db.query<{ p: string; record: string; append_end: boolean }>(
      `SELECT global_position::text AS p, record, append_end FROM ${schema}.events
         WHERE global_position >= $1 AND global_position <= $2 ORDER BY global_position LIMIT ${CHUNK}`,
      [String(next), String(to)],
    );
    for (const r of rows) {
      const position = Number(r.p);
      yield { env: registry.decode(r.record, positionKey(position), position, check) as Envelope<E>, appendEnd: r.append_end };
    }
    if (rows.length < CHUNK) return;
    next = Number(rows.at(-1)!.p) + 1;
  }
}

/** Events `from..to` in global order. */
export async function* readEvents<E extends AnyEvent>(
  db: pg.Pool | pg.ClientBase,
  schema: string,
  registry: EventRegistry<E>,
  from: number,
  to?: number,
  check: DecodeCheck = 'trusted',
): AsyncGenerator<Envelope<E>> {
  for await (const r of readRows(db, schema, registry, from, to, check)) yield r.env;
}
