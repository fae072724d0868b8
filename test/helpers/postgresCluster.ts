/**
 * A throwaway PostgreSQL cluster for one test file: `initdb` in a temp dir, the server on a
 * free loopback port with its socket in that dir, run as the unprivileged `postgres` user when
 * the tests run as root (PostgreSQL refuses root). Trust authentication on loopback only, no
 * fsync (nothing here must survive a crash). `stop()` stops it and deletes the dir; a process
 * that exits without calling it still stops the server.
 *
 * Missing binaries are an error, never a skip: `.ci/run` installs the Debian package
 * `postgresql`, and a test that silently skipped would prove nothing.
 *
 * @example
 * const pg = await startPostgresCluster();
 * try { … pg.url … } finally { await pg.stop(); }
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** The directory holding `initdb`, `pg_ctl` and `postgres`: `PG_BIN`, Debian's newest, or `PATH`. */
export function findPostgresBin(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const v of readdirSync(debian).sort((a, b) => Number(b) - Number(a))) candidates.push(join(debian, v, 'bin'));
  }
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(dir);
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'postgres')));
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

/** See the module comment. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in PG_BIN, /usr/lib/postgresql/*/bin or PATH. ' +
        'Install the Debian package `postgresql` (.ci/run does) or set PG_BIN: these tests need a real server and never skip.',
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  if (asRoot) {
    let uid: number;
    let gid: number;
    try {
      uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    } catch {
      rmSync(dir, { recursive: true, force: true });
      throw new Error('running as root, but there is no `postgres` user to run the server as (the Debian package `postgresql` creates it)');
    }
    chownSync(dir, uid, gid);
  }
  // PostgreSQL refuses to run as root, so as root every server command runs as `postgres`.
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${tool} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  const data = join(dir, 'data');
  const port = await freePort();
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already down
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const serverOptions = [
      `-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1',
      '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200',
    ].join(' ');
    run('pg_ctl', ['-D', data, '-o', serverOptions, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
  } catch (err) {
    stopSync();
    throw err;
  }
  process.once('exit', stopSync);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      process.removeListener('exit', stopSync);
      stopSync();
    },
  };
}
