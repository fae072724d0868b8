/**
 * Per-user locks across every process on one PostgreSQL database: session advisory locks,
 * keyed by schema and user, each held on a connection of a pool of its own. A refresh holds
 * its lock while it asks Spotify (seconds at worst), so these connections must not be the
 * ones appends wait for.
 *
 * Waiting polls `pg_try_advisory_lock` rather than blocking in `pg_advisory_lock`: a waiter
 * then holds no connection while it waits, gives up after `waitMs` with
 * {@link UserLockTimeoutError}, and a process that dies loses its locks with its connections.
 *
 * @module
 */
import pg from 'pg';
import type { UserLock } from '../link/ports.ts';

/** The user's lock was not free within the wait. */
export class UserLockTimeoutError extends Error {
  readonly code = 'USER_LOCK_TIMEOUT' as const;
  constructor(waitMs: number) {
    super(`another process held the user's lock for more than ${waitMs} ms`);
    this.name = 'UserLockTimeoutError';
  }
}

/** Options of {@link openPostgresUserLock}. */
export interface PostgresUserLockOptions {
  connectionString: string;
  /** The bot's schema: locks of two bots on one server never meet. */
  schema: string;
  /** Locks held at once by this process (default 8). */
  maxHeld?: number;
  /** How long a caller waits for a held lock (default 30 s: longer than a refresh's retries). */
  waitMs?: number;
  /** How often a waiter tries again (default 50 ms). */
  pollMs?: number;
}

/** A {@link UserLock} that can be closed (its pool ended). */
export interface ClosableUserLock extends UserLock {
  close(): Promise<void>;
}

/** Opens the locks' own small pool. */
export function openPostgresUserLock(options: PostgresUserLockOptions): ClosableUserLock {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxHeld ?? 8, application_name: 'spotify-link-music-bot locks' });
  pool.on('error', () => {}); // a lost idle connection held no lock; the next use reconnects
  const waitMs = options.waitMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;
  const keyOf = (userId: number) => `musicbot:${options.schema}:user:${userId}`;
  return {
    async run(userId, fn) {
      const key = keyOf(userId);
      const until = Date.now() + waitMs;
      for (;;) {
        const client = await pool.connect();
        let held = false;
        try {
          held = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key])).rows[0]?.ok === true;
          if (held) return await fn();
        } finally {
          if (held) {
            // Unlock failing means the connection is broken: drop it, and the lock goes with it.
            const unlocked = await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).then(() => true, () => false);
            client.release(!unlocked);
          } else {
            client.release();
          }
        }
        if (Date.now() >= until) throw new UserLockTimeoutError(waitMs);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
    close: () => pool.end(),
  };
}
