/**
 * `replay import <file> --database-url …`: an export into an empty PostgreSQL event log, in
 * **one transaction** that holds the store's append lock – the events (in global order, with
 * their stream positions and record bytes), the wrapped data keys, the key check values and
 * the rebuilt projection tables commit together or not at all. An interrupted import leaves
 * the log as empty as it was; no bot appends meanwhile (its appends wait for the lock).
 *
 * The file has been read through once already (`checkExport`) before the database is
 * touched; this second pass checks it again as it writes and rolls back on any problem.
 *
 * @module
 */
import type pg from 'pg';
import type { EventRegistry } from '../../../eventlog/index.ts';
import { sameAppend } from '../../../eventlog/catchUp.ts';
import { lockHead } from '../../../eventlog/postgres/pgAppender.ts';
import { rebuildTablesIn } from '../../../eventlog/postgres/pgProjections.ts';
import { inTransaction, redactUrl } from '../../../eventlog/postgres/index.ts';
import { linkProjections } from '../../link/projections.ts';
import { openDatabase, type DatabaseTarget } from './database.ts';
import { asOneLine, ReplayError } from './errors.ts';
import type { EventLine } from './exportFormat.ts';
import { readExport } from './exportReader.ts';
import type { ImportCounts } from './importCheck.ts';

const CHUNK = 1000;

interface Row {
  line: EventLine;
  record: string;
  end: boolean;
}

async function insertEvents(client: pg.ClientBase, schema: string, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO ${schema}.events (global_position, stream, stream_position, record, append_end)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::boolean[])`,
    [rows.map((r) => String(r.line.position)), rows.map((r) => r.line.stream), rows.map((r) => r.line.streamPosition), rows.map((r) => r.record), rows.map((r) => r.end)],
  );
}

/** Refuses a log that holds events or data keys (checked under the append lock). */
async function requireEmpty(client: pg.ClientBase, schema: string, target: DatabaseTarget, appendLock: string): Promise<void> {
  const head = await lockHead(client, { schema, appendLock });
  const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${schema}.vault_keys`);
  const keys = Number(rows[0]!.n);
  if (head >= 0 || keys > 0) {
    throw new ReplayError('TARGET_NOT_EMPTY', `the event log in ${redactUrl(target.url)} (schema ${target.schema}) is not empty: ${head + 1} event(s), ${keys} data key(s); nothing was imported`, {
      hint: 'import only into an empty log: another --schema, or a new database',
    });
  }
}

/**
 * Imports `file` into the empty log of `target`, in one transaction.
 * @throws {ReplayError} `TARGET_NOT_EMPTY`, `EXPORT_INVALID`, `NO_DATA_DIR` (cannot connect).
 */
export async function importIntoDatabase(file: string, target: DatabaseTarget, registry: EventRegistry<any>): Promise<ImportCounts> {
  const { store, pool } = await openDatabase(target, false);
  const schema = store.schema;
  const appendLock = `eventlog:append:${target.schema}`;
  try {
    return await inTransaction(pool, async (client) => {
      await requireEmpty(client, schema, target, appendLock);
      const counts: ImportCounts = { streams: 0, events: 0, dataKeys: 0, keyChecks: 0, sha256: '', masterKeys: [] };
      const masterKeys = new Set<string>();
      let rows: Row[] = [];
      let keys: [string, string][] = [];
      const insertKeys = async () => {
        if (keys.length === 0) return;
        await client.query(`INSERT INTO ${schema}.vault_keys (link_id, wrapped) SELECT * FROM unnest($1::text[], $2::text[])`, [keys.map((k) => k[0]), keys.map((k) => k[1])]);
        counts.dataKeys += keys.length;
        keys = [];
      };
      for await (const item of readExport(file, registry)) {
        if (item.kind === 'event') {
          // An append's end is known only from the next event (the rule LevelDB's catch-up uses).
          const previous = rows.at(-1);
          if (previous) previous.end = !sameAppend(previous.line, item.line);
          if (rows.length >= CHUNK) await insertEvents(client, schema, rows.splice(0));
          rows.push({ line: item.line, record: item.record, end: true });
          counts.events++;
        } else if (item.kind === 'dataKey') {
          keys.push([item.linkId, item.wrapped]);
          masterKeys.add(item.masterKeyId);
          if (keys.length >= CHUNK) await insertKeys();
        } else if (item.kind === 'keyCheck') {
          // A key check of the same master key may be there already (a bot started on the empty log).
          await client.query(`INSERT INTO ${schema}.vault_key_checks (master_key_id, kcv) VALUES ($1, $2) ON CONFLICT (master_key_id) DO NOTHING`, [item.masterKeyId, item.kcv]);
          counts.keyChecks++;
        } else if (item.kind === 'end') {
          counts.streams = item.end.streams;
          counts.sha256 = item.end.sha256;
        }
        // Events come before keys: flush the last events before the first key is written.
        if (item.kind !== 'event' && rows.length > 0) {
          await insertEvents(client, schema, rows);
          rows = [];
        }
      }
      await insertEvents(client, schema, rows);
      await insertKeys();
      await rebuildTablesIn(client, { schema, appendLock, registry }, [...linkProjections]);
      return { ...counts, masterKeys: [...masterKeys].sort() };
    });
  } catch (err) {
    // pg's messages name the problem, never the password.
    throw asOneLine(err, 'IMPORT_FAILED', `the import into ${redactUrl(target.url)} (schema ${target.schema}) failed and was rolled back`);
  } finally {
    await store.close();
    await pool.end();
  }
}
