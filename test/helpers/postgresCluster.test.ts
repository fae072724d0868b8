import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, statSync } from 'node:fs';
import pg from 'pg';
import { PostgresMissingError, startPostgresCluster } from './postgresCluster.ts';
import { rejects } from './rejects.ts';

const Cluster = suite('throwaway PostgreSQL cluster');

Cluster('without the server binaries it fails saying what to install, it does not skip', async () => {
  const saved = process.env.PG_BIN;
  process.env.PG_BIN = '/nonexistent/postgresql/bin';
  try {
    const err = await rejects(startPostgresCluster(), (e) => e instanceof PostgresMissingError);
    assert.match((err as Error).message, /Install the Debian package `postgresql`/);
  } finally {
    if (saved === undefined) delete process.env.PG_BIN;
    else process.env.PG_BIN = saved;
  }
});

Cluster('a started cluster takes connections on loopback, runs as a non-root user, and is gone after stop', async () => {
  const cluster = await startPostgresCluster();
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  const { rows } = await client.query(`SELECT current_setting('data_directory') AS dir, current_setting('fsync') AS fsync`);
  await client.end();
  // initdb and the server ran as the data directory's owner (PostgreSQL refuses a root-owned one).
  assert.is.not(statSync(rows[0].dir).uid, 0, 'the cluster belongs to a non-root user');
  assert.is(rows[0].fsync, 'on', 'fsync stays on: durability is part of what is tested');
  cluster.stop();
  assert.not.ok(existsSync(rows[0].dir), 'the data directory is removed');
  const late = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2000 });
  await rejects(late.connect());
});

Cluster.run();
