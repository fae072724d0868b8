import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { checkPredicate, defOf, UnsupportedSchema } from '../../eventlog/schemaChecks.ts';
import { text } from './fixtures/schemaValues.ts';

const Checks = suite('zod checks as plain predicates');

type Kind = 'string' | 'number' | 'array';

/** Every check of `schema` (its own and its list) as predicates. */
function predicates(schema: z.ZodType, kind: Kind): ((x: unknown) => boolean)[] {
  const def = defOf(schema)!;
  return [...(def.check ? [def] : []), ...(def.checks ?? []).map((c) => defOf(c)!)].map((d) => checkPredicate(d, kind));
}

const cases: [string, z.ZodType, Kind, fc.Arbitrary<unknown>][] = [
  ['string min/max', z.string().min(2).max(4), 'string', text],
  ['string length', z.string().length(2), 'string', text],
  ['regex (global too)', z.string().regex(/^a|b$/g), 'string', fc.oneof(text, fc.constantFrom('a', 'xb', 'ab'))],
  ['safe integers', z.int(), 'number', fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 53 - 1))],
  ['int32 and bounds', z.int32().positive().max(100), 'number', fc.oneof(fc.integer({ min: -3, max: 103 }), fc.double(), fc.constantFrom(2 ** 31, 0, 100))],
  ['uint32 and inclusive/exclusive bounds', z.uint32().gte(2).lt(9), 'number', fc.oneof(fc.integer({ min: -1, max: 10 }), fc.double())],
  ['float32', z.float32(), 'number', fc.oneof(fc.double(), fc.constantFrom(3.5e38, -3.5e38, 1))],
  ['array min/max/length', z.array(z.number()).min(1).max(3), 'array', fc.array(fc.integer(), { maxLength: 5 })],
  ['array length', z.array(z.number()).length(2), 'array', fc.array(fc.integer(), { maxLength: 4 })],
];

for (const [name, schema, kind, values] of cases) {
  Checks(`${name}: a value passes exactly when zod's checks pass`, () => {
    const checks = predicates(schema, kind);
    assert.ok(checks.length > 0);
    fc.assert(
      fc.property(values, (x) => {
        if (kind === 'number' && !Number.isFinite(x)) return;
        assert.is(checks.every((c) => c(x)), schema.safeParse(x).success, JSON.stringify(x));
      }),
      { numRuns: 1000 },
    );
  });
}

Checks('other checks are refused, so their schemas stay with zod', () => {
  for (const schema of [z.string().trim(), z.email(), z.string().startsWith('a'), z.number().multipleOf(3), z.number().gt(1n as never)]) {
    const def = defOf(schema)!;
    const all = [...(def.check ? [def] : []), ...(def.checks ?? []).map((c) => defOf(c)!)];
    assert.throws(() => all.forEach((d) => checkPredicate(d, 'string')), (e: unknown) => e instanceof UnsupportedSchema);
  }
});

Checks.run();
