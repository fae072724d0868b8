/**
 * A throwaway PostgreSQL cluster for tests: `initdb` in a temp dir, a free loopback port,
 * the server run by an unprivileged user (the Debian `postgres` user via `runuser` when the
 * tests run as root: the server refuses to run as root), stopped and removed at the end.
 *
 * One cluster serves a whole `npm test`: `test/run.ts` starts it before the first file that
 * needs it and passes its URL down in `TEST_POSTGRES_URL`. A test file run alone starts its
 * own and removes it when the process exits. Each file gets its own database either way.
 *
 * Without the server binaries this throws {@link PostgresMissingError}: tests that need
 * PostgreSQL fail with that message, they are never skipped.
 *
 * @module
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Set by `test/run.ts` for the files it runs: a superuser URL of the shared cluster. */
export const SHARED_URL_ENV = 'TEST_POSTGRES_URL';

/** The PostgreSQL server binaries are not installed. */
export class PostgresMissingError extends Error {
  readonly code = 'POSTGRES_MISSING';
  constructor(searched: string) {
    super(
      `PostgreSQL server binaries not found (looked for initdb in ${searched}). ` +
        'Install the Debian package `postgresql` (.ci/run does) or set PG_BIN to the directory holding initdb and pg_ctl.',
    );
    this.name = 'PostgresMissingError';
  }
}

/** A running cluster; `stop()` shuts it down and deletes its files (also done at process exit). */
export interface PostgresCluster {
  /** Superuser URL of the `postgres` database (trust auth on loopback, no password). */
  url: string;
  port: number;
  stop(): void;
}

/** The newest `/usr/lib/postgresql/<n>/bin` (or `PG_BIN`). */
function findBinDir(): string {
  if (process.env.PG_BIN) {
    if (existsSync(join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
    throw new PostgresMissingError(process.env.PG_BIN);
  }
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) throw new PostgresMissingError(`${base}/*/bin`);
  versions.sort((a, b) => Number(b) - Number(a));
  return join(base, versions[0]!, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The uid/gid the server runs as: ours, or the `postgres` user's when we are root. */
function serverUser(): { prefix: string[]; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('tests run as root but there is no `postgres` user to run the PostgreSQL server as (it refuses root)');
  const [, , uid, gid] = line.split(':');
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid: Number(uid), gid: Number(gid) };
}

/** Runs a command without blocking the event loop (the test runner keeps reading its children meanwhile). */
function run(cmd: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd[0]!, cmd.slice(1), { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${what} failed (${err.code ?? err.message}): ${(stderr || stdout || err.message).trim().slice(-800)}`));
      else resolve();
    });
  });
}

/** Clusters of this process not yet stopped: stopped at exit and on SIGINT/SIGTERM/SIGHUP too. */
const running = new Set<() => void>();
let handlersInstalled = false;

function stopAllOnExit(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const stopAll = () => {
    for (const stop of [...running]) stop();
  };
  process.once('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      stopAll();
      process.exit(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15));
    });
  }
}

/**
 * Starts a new cluster. `fsync` stays on (the store's durability is part of what is tested);
 * only initdb skips its own final sync, as its files are thrown away anyway.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findBinDir();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const as = (cmd: string[]) => [...(user?.prefix ?? []), ...cmd];
  const data = join(dir, 'data');
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    running.delete(stop);
    // Immediate: the data is thrown away, a clean checkpoint would only cost time.
    const cmd = as([join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
    spawnSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore', timeout: 30_000 });
    rmSync(dir, { recursive: true, force: true });
  };
  // Registered before initdb: a test that fails or a run that is interrupted leaves no server behind.
  stopAllOnExit();
  running.add(stop);
  try {
    await run(as([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '-N', '--no-instructions']), 'initdb');
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
      try {
        await run(as([join(bin, 'pg_ctl'), '-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']), 'pg_ctl start');
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop };
      } catch (err) {
        // Another process may have taken the port between our probe and the server's bind.
        if (attempt >= 3) throw err;
      }
    }
  } catch (err) {
    stop();
    throw err;
  }
}

let own: PostgresCluster | undefined;

/** Creates database `name` (a plain identifier) on the cluster of `admin` and returns its URL. */
export async function createDatabase(admin: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return admin.replace(/\/[^/]*$/, `/${name}`);
}

/**
 * A fresh, empty database for this test file: on the shared cluster when `test/run.ts`
 * started one, else on a cluster of this process's own (removed at exit).
 *
 * @returns the database's URL and a `drop()` that removes it (best effort).
 */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  let admin = process.env[SHARED_URL_ENV];
  if (!admin) {
    own ??= await startPostgresCluster();
    admin = own.url;
  }
  const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = await createDatabase(admin, name);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * {@link freshDatabase} started at once, for a test file's top level: the promise is
 * awaited in hooks and tests, so without PostgreSQL each of them fails with the
 * {@link PostgresMissingError} message instead of the file dying of an unhandled rejection.
 */
export function testDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const database = freshDatabase();
  database.catch(() => {});
  return database;
}
