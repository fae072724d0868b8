/**
 * Makes LevelDB drop shredded data keys from its files.
 *
 * Deleting a key in LevelDB writes a tombstone; the old value stays in the write-ahead log or
 * a table file until a compaction merges the two. Measured with classic-level 3
 * (test/storage/vaultCompaction.test.ts): a plain `compactRange` over the vault's keys is **not**
 * enough when the data key and its deletion were flushed into the same table file (the flush
 * keeps both versions, and a lone bottom-level file is never rewritten). What works:
 *
 * 1. `compactRange` over the vault range — flushes the memtable (and the WAL with it);
 * 2. two tombstones for impossible link ids at both ends of the vault's key range (`\x01` and
 *    `\uffff`; deleting a key that never existed changes nothing), so the next flush makes a
 *    small file that overlaps every file holding vault keys;
 * 3. `compactRange` again — that file is merged down through those files, which are
 *    rewritten without the shadowed values.
 *
 * Only classic-level has `compactRange`; on other levels (memory-level) this does nothing.
 *
 * @example
 * await compactVault(store.db);                        // at start-up
 * const scheduler = scheduleVaultCompaction(store, logger, { delayMs: 60_000 }); // after links end
 */
import type { EventStore, RootDb } from '../../eventlog/index.ts';
import type { LinkEvent } from '../../machines/spotifyLink.events.ts';
import type { Logger } from '../log.ts';

type Compactable = RootDb & { compactRange(start: string, end: string): Promise<void> };

/** The vault's keyspace (`vault/keys`, `vault/meta`) as a root key range. */
const VAULT_START = '!vault!';
const VAULT_END = '!vault"';

/** Whether the db can compact (classic-level). */
export function canCompact(db: RootDb): db is Compactable {
  return typeof (db as Partial<Compactable>).compactRange === 'function';
}

/** Rewrites the vault's part of the LevelDB files so deleted data keys are gone from them. */
export async function compactVault(db: RootDb): Promise<boolean> {
  if (!canCompact(db) || db.status !== 'open') return false;
  await db.compactRange(VAULT_START, VAULT_END);
  const keys = db.sublevel<string, string>(['vault', 'keys'], { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await keys.batch([
    { type: 'del', key: '\x01' },
    { type: 'del', key: '\uffff' },
  ]);
  await db.compactRange(VAULT_START, VAULT_END);
  return true;
}

/** Link events whose append deletes a data key (an attempt, a grant or a link ended). */
export const SHREDDING_EVENTS: ReadonlySet<string> = new Set([
  'LoginStarted', // a new /login supersedes an open attempt
  'LoginDenied',
  'LoginExpired',
  'LinkRejected',
  'LinkConfirmed', // a re-link replaces the old link's key
  'AccessRevoked',
  'Unlinked',
]);

/** A running compaction schedule. */
export interface VaultCompactionScheduler {
  /** Cancels a pending compaction and waits for a running one. */
  stop(): Promise<void>;
}

/** Options of {@link scheduleVaultCompaction}. */
export interface VaultCompactionOptions {
  /** Delay after the first append that may have shredded a key (default 60 s). */
  delayMs?: number;
  /**
   * Called after each compaction that ran (tests, metrics), with the log head when it
   * started: keys shredded by appends up to that position are gone from the files.
   */
  onCompacted?: (headPosition: number) => void;
}

/**
 * Compacts the vault a while after the first append that may have shredded a key, so a
 * burst of unlinks costs one compaction. Failures are logged, never thrown.
 */
export function scheduleVaultCompaction(store: EventStore<LinkEvent>, logger: Logger, options: VaultCompactionOptions = {}): VaultCompactionScheduler {
  const delayMs = options.delayMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let again = false;
  const schedule = () => {
    timer = setTimeout(run, delayMs);
    timer.unref();
  };
  const run = () => {
    timer = undefined;
    const headPosition = store.headPosition();
    running = compactVault(store.db)
      .then((done) => {
        if (!done) return;
        logger.debug({ headPosition }, 'vault compacted: shredded data keys dropped from the LevelDB files');
        options.onCompacted?.(headPosition);
      })
      .catch((err: unknown) => logger.warn({ err }, 'vault compaction failed; shredded keys stay in the files until LevelDB compacts on its own'))
      .finally(() => {
        running = undefined;
        // Shreds that arrived while this one ran get their own pass (never two at once).
        if (again && !stopped) {
          again = false;
          schedule();
        }
      });
  };
  const unsubscribe = store.subscribe((events) => {
    if (stopped || !events.some((e) => SHREDDING_EVENTS.has(e.type))) return;
    if (running) again = true;
    else if (!timer) schedule();
  });
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      await running;
    },
  };
}
