import { MemoryLevel } from 'memory-level';
import type { RootDb } from '../../../eventlog/index.ts';
import { openAudioCache } from '../../../src/music/cache/audioCache.ts';
import { audioCacheContract } from './audioCacheContract.ts';

audioCacheContract({
  name: 'LevelDB',
  sharedByInstances: false,
  async open() {
    const db = new MemoryLevel<string, string>() as unknown as RootDb;
    return { cache: openAudioCache(db), reopen: async () => openAudioCache(db), close: () => db.close() };
  },
}).run();
