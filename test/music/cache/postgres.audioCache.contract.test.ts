/** The `file_id` cache contract on PostgreSQL (throwaway cluster; fails without PostgreSQL). */
import pg from 'pg';
import { openPostgresAudioCache } from '../../../src/music/cache/pgAudioCache.ts';
import { testDatabase } from '../../helpers/postgresCluster.ts';
import { audioCacheContract } from './audioCacheContract.ts';

const database = testDatabase();
let n = 0;

const contract = audioCacheContract({
  name: 'PostgreSQL',
  sharedByInstances: true,
  async open() {
    const pool = new pg.Pool({ connectionString: (await database).url });
    const schema = `music_${++n}`;
    return { cache: await openPostgresAudioCache(pool, schema), reopen: () => openPostgresAudioCache(pool, schema), close: () => pool.end() };
  },
});
contract.after(async () => (await database).drop());
contract.run();
