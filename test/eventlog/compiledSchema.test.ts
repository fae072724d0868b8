import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { compileTextParser, type ParseSlot, type TextParser } from '../../eventlog/compiledSchema.ts';
import { applyEdits, assertSameValue, compiledSchemas, edit, isPlain, near } from './fixtures/schemaValues.ts';

const Compiled = suite('compiled schema parsers (the fast path of decoding)');

function compiled(schema: z.ZodType): TextParser {
  const parse = compileTextParser(schema);
  assert.ok(parse, 'the schema compiles');
  return parse!;
}

/** What the fast parser makes of the whole `text`: the value, or undefined when it declines. */
function fast(parse: TextParser, text: string): { value: unknown } | undefined {
  const slot: ParseSlot = { value: undefined };
  return parse(text, 0, slot) === text.length ? { value: slot.value } : undefined;
}

/** The contract: accepting means JSON.parse + safeParse accept too, with the same value. */
function assertAgreesWithZod(schema: z.ZodType, parse: TextParser, text: string): void {
  const got = fast(parse, text);
  if (!got || !isPlain(text)) return;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    assert.unreachable(`the fast path accepted invalid JSON: ${JSON.stringify(text)}`);
  }
  const expected = schema.safeParse(json);
  assert.ok(expected.success, `the fast path accepted what the schema rejects: ${JSON.stringify(text)}`);
  assertSameValue(got.value, expected.data);
}

for (const [name, schema] of Object.entries(compiledSchemas)) {
  Compiled(`${name}: a value is read exactly as JSON.parse + zod read it, or left to them`, () => {
    const parse = compiled(schema);
    fc.assert(
      fc.property(near(schema), (value) => {
        const text = JSON.stringify(value);
        if (text === undefined) return;
        assertAgreesWithZod(schema, parse, text);
        // What zod accepts, written as the store writes it, must take the fast path.
        const expected = schema.safeParse(value);
        const stored = expected.success ? JSON.stringify(expected.data) : undefined;
        if (stored !== undefined && isPlain(stored)) {
          const got = fast(parse, stored);
          assert.ok(got, `the fast path declined a valid stored value: ${stored}`);
          assertSameValue(got!.value, schema.parse(JSON.parse(stored)));
        }
      }),
      { numRuns: 1500 },
    );
  });

  Compiled(`${name}: a damaged or re-spelled text is never accepted unless JSON.parse + zod accept it`, () => {
    const parse = compiled(schema);
    fc.assert(
      fc.property(near(schema), fc.array(edit, { minLength: 1, maxLength: 3 }), (value, edits) => {
        const text = JSON.stringify(value);
        if (text === undefined) return;
        assertAgreesWithZod(schema, parse, applyEdits(text, edits));
      }),
      { numRuns: 1500 },
    );
  });
}

Compiled('every single-character damage of stored values is caught (exhaustive)', () => {
  const chars = ['"', ',', ':', '{', '}', '[', ']', '0', '1', '-', '.', 'e', 'E', '+', 'n', 't', 'f', ' ', '\\', '\u0001', 'a', '😀'];
  for (const [name, schema] of Object.entries(compiledSchemas)) {
    const parse = compiled(schema);
    const values = fc
      .sample(near(schema), { numRuns: 400, seed: 42 })
      .map((v) => schema.safeParse(v))
      .filter((r) => r.success)
      .slice(0, 25);
    assert.ok(values.length > 5, `${name}: enough valid samples`);
    for (const r of values) {
      const stored = JSON.stringify(r.data);
      for (let i = 0; i <= stored.length; i++) {
        assertAgreesWithZod(schema, parse, stored.slice(0, i) + stored.slice(i + 1));
        for (const c of chars) {
          assertAgreesWithZod(schema, parse, stored.slice(0, i) + c + stored.slice(i));
          assertAgreesWithZod(schema, parse, stored.slice(0, i) + c + stored.slice(i + 1));
        }
      }
    }
  }
});

Compiled('numbers are read as JSON reads them; what JSON or zod refuse is declined', () => {
  const schema = z.object({ f: z.number() });
  const parse = compiled(schema);
  for (const n of ['0', '-0', '1', '-1', '10', '1.5', '-1.5e-3', '1E5', '1e+21', '123456789012345', '1234567890123456789', '9007199254740993', '0.1', '5e-324']) {
    const text = `{"f":${n}}`;
    assertSameValue(fast(parse, text)?.value, { f: JSON.parse(n) });
  }
  for (const n of ['1e400', '-1e400', '01', '1.', '.5', '-', '1e', '1e+', '+1', '0x10', 'NaN', 'Infinity', '1_0', '- 1']) {
    assert.is(fast(parse, `{"f":${n}}`), undefined, n);
  }
  const int = compiled(z.object({ i: z.int() }));
  assert.is(fast(int, '{"i":9007199254740992}'), undefined);
  assert.is(fast(int, '{"i":1.5}'), undefined);
  assertSameValue(fast(int, '{"i":-9007199254740991}')?.value, { i: -9007199254740991 });
  const bounded = compiled(z.object({ x: z.number().gt(1).lte(10) }));
  assert.equal([1, 1.01, 10, 10.5].map((x) => fast(bounded, `{"x":${x}}`) !== undefined), [false, true, true, false]);
  const halfOpen = compiled(z.object({ x: z.number().gte(-3).lt(10) }));
  assert.equal([-3.5, -3, 9.99, 10].map((x) => fast(halfOpen, `{"x":${x}}`) !== undefined), [false, true, true, false]);
});

Compiled('a key named __proto__ leaves the schema to zod', () => {
  assert.is(compileTextParser(z.object({ ['__proto__']: z.string() })), null);
});

Compiled('schemas with transforms, refinements, unions or other formats are not compiled', () => {
  const slow = [
    z.object({ a: z.string().trim() }),
    z.object({ a: z.string() }).refine(() => true),
    z.object({ a: z.union([z.string(), z.number()]) }),
    z.object({ a: z.email() }),
    z.object({ a: z.string().default('x') }),
    z.looseObject({ a: z.string() }),
    z.object({ a: z.unknown() }),
    z.object({ a: z.record(z.string(), z.number()) }),
    z.object({ a: z.number().multipleOf(2) }),
    z.object({ a: z.coerce.number() }),
    z.object({ a: z.string().readonly() }),
    z.object({ a: z.string().transform((s) => s.length) }),
    // A numeric (TypeScript-style) enum carries reverse mappings zod filters out.
    z.object({ a: z.enum({ Red: 0, Green: 1, 0: 'Red', 1: 'Green' } as unknown as { Red: 0; Green: 1 }) }),
    z.object({ a: z.literal(undefined) }),
    z.object({ a: z.literal(1n) }),
  ];
  for (const schema of slow) assert.is(compileTextParser(schema), null);
});

Compiled('string lengths are counted in code points, as zod counts them', () => {
  const parse = compiled(z.object({ s: z.string().length(2) }));
  assert.equal(fast(parse, '{"s":"😀é"}')?.value, { s: '😀é' });
  assert.is(fast(parse, '{"s":"😀"}'), undefined);
  assert.ok(z.object({ s: z.string().length(2) }).safeParse({ s: '😀é' }).success);
});

Compiled.run();
