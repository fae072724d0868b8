/**
 * The shared event log contract on the embedded LevelDB store (memory-level). One process
 * owns a data dir, so the "second connection" is the same store.
 */
import { openEventStore, openTokenVault } from '../../../eventlog/index.ts';
import { fakeClock, memoryDb, registry } from '../fixtures/counterEvents.ts';
import { eventStoreContract } from './eventStoreContract.ts';
import { vaultContract } from './vaultContract.ts';

eventStoreContract({
  name: 'LevelDB',
  notifications: false,
  async open(projections) {
    const db = memoryDb();
    const store = await openEventStore({ db, registry, projections, now: fakeClock() });
    return {
      store,
      openSecond: async () => store,
      async close() {
        await store.close();
        await db.close();
      },
    };
  },
}).run();

vaultContract({
  name: 'LevelDB',
  async open() {
    const db = memoryDb();
    const store = await openEventStore({ db, registry, now: fakeClock() });
    return {
      store,
      vault: (masterKeys) => openTokenVault({ db, masterKeys, runExclusive: store.runExclusive }),
      async close() {
        await store.close();
        await db.close();
      },
    };
  },
}).run();
