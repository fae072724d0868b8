import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Lru } from '../../eventlog/lru.ts';

const Cache = suite('bounded LRU cache');

Cache('keeps at most its capacity and evicts the least recently used', () => {
  const lru = new Lru<string, number>(2);
  lru.set('a', 1);
  lru.set('b', 2);
  lru.get('a');
  lru.set('c', 3);
  assert.equal([lru.has('a'), lru.has('b'), lru.has('c'), lru.size], [true, false, true, 2]);
});

Cache.run();
