import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BloomFilter } from '../../eventlog/bloom.ts';

const Bloom = suite('Bloom filter of written keys');

Bloom('the Bloom filter never calls an added key absent, and rarely a new one present', () => {
  const bloom = new BloomFilter(1 << 20);
  for (let i = 0; i < 50_000; i++) bloom.add(`user-${i}`);
  for (let i = 0; i < 50_000; i++) assert.ok(bloom.mightHave(`user-${i}`));
  let falsePositives = 0;
  for (let i = 0; i < 50_000; i++) if (bloom.mightHave(`other-${i}`)) falsePositives++;
  assert.ok(falsePositives < 2500, `${falsePositives} false positives of 50,000`);
});

Bloom.run();
