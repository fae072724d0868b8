/**
 * The shared event log contract on PostgreSQL, against the throwaway cluster of
 * `test/helpers/postgresCluster.ts` (fails, never skips, without PostgreSQL). Each test gets
 * its own schema; the second store is a second pool (other connections, its own LISTEN).
 */
import pg from 'pg';
import { openPostgresEventStore, openPostgresTokenVault, type PostgresEventStore } from '../../../eventlog/postgres/index.ts';
import { testDatabase } from '../../helpers/postgresCluster.ts';
import { fakeClock, registry, type CounterEvent } from '../fixtures/counterEvents.ts';
import { eventStoreContract } from './eventStoreContract.ts';
import { vaultContract } from './vaultContract.ts';

const database = testDatabase();
let schemas = 0;

const contract = eventStoreContract({
  name: 'PostgreSQL',
  notifications: true,
  async open(projections) {
    const { url } = await database;
    const schema = `contract_${++schemas}`;
    // Polling far off: a subscriber that catches up does so because of NOTIFY or a reconnect.
    const open = () => openPostgresEventStore({ connectionString: url, schema, registry, projections, now: fakeClock(), pollIntervalMs: 600_000 });
    const stores: PostgresEventStore<CounterEvent>[] = [await open()];
    return {
      store: stores[0]!,
      async openSecond() {
        const s = await open();
        stores.push(s);
        return s;
      },
      async dropNotifications() {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'eventlog-listen' AND datname = current_database()`);
        await admin.end();
      },
      async close() {
        await Promise.all(stores.map((s) => s.close()));
      },
    };
  },
});

contract.run();

const vaults = vaultContract({
  name: 'PostgreSQL',
  async open() {
    const { url } = await database;
    const store = await openPostgresEventStore({ connectionString: url, schema: `vault_${++schemas}`, registry, now: fakeClock() });
    return {
      store,
      vault: (masterKeys) => openPostgresTokenVault({ store, masterKeys }),
      close: () => store.close(),
    };
  },
});
vaults.after(async () => {
  await (await database).drop();
});
vaults.run();
