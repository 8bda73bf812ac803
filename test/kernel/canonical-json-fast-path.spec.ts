import fc from 'fast-check';
import { canonicalJson, canonicalJsonByWalk } from '../../src/kernel/canonical-json.js';

/** A JSON value whose objects are built in shuffled key order, some members undefined. */
const shuffledJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.string(),
    fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 5 }),
    fc
      .array(fc.tuple(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('a', 'b', '10', '9', 'A', 'é', 'ä', '\u{1F600}')), fc.oneof(tie('value'), fc.constant(undefined))), {
        maxLength: 6,
      })
      .map((members) => {
        const object: Record<string, unknown> = {};
        for (const [key, member] of members) if (key !== '__proto__') object[key] = member;
        return object;
      }),
  ),
})).value;

/** The same values with every object's members made in sorted key order (as JSON.parse of canonical text makes them). */
const orderedJson = shuffledJson.map(function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? item : ordered(item)));
  if (value === null || typeof value !== 'object') return value;
  const object: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) object[key] = ordered((value as Record<string, unknown>)[key]);
  return object;
});

describe('canonicalJson written by JSON.stringify with its keys sorted', () => {
  it('writes exactly what the walk writes, whatever order the keys were made in', () => {
    fc.assert(fc.property(shuffledJson, (value) => expect(canonicalJson(value)).toBe(canonicalJsonByWalk(value))), { numRuns: 2_000 });
  });

  it('writes exactly what the walk writes when the keys were made in order already (JSON.stringify alone)', () => {
    fc.assert(fc.property(orderedJson, (value) => expect(canonicalJson(value)).toBe(canonicalJsonByWalk(value))), { numRuns: 2_000 });
    // Integer-like keys are held first whatever order they were made in: "10" before "9" is not their order.
    expect(canonicalJson({ '10': 1, '9': 2 })).toBe('{"10":1,"9":2}');
    expect(canonicalJson({ '9': 2, '10': 1, a: [{ b: 1, a: 2 }] })).toBe('{"10":1,"9":2,"a":[{"a":2,"b":1}]}');
  });

  it('writes a loan-like row as the walk does: nested objects, keys at one depth only, undefined members left out', () => {
    const instalments = [
      { number: 1, dueOn: '2026-01-05', principalDue: 100, missedOn: undefined, principalMovements: [{ on: '2026-01-05', amount: 100 }] },
      { principalMovements: [], dueOn: '2026-02-05', number: 2, principalDue: 90, missedOn: '2026-02-09' },
    ];
    expect(canonicalJson(instalments)).toBe(canonicalJsonByWalk(instalments));
    expect(canonicalJson(instalments)).toBe(
      '[{"dueOn":"2026-01-05","number":1,"principalDue":100,"principalMovements":[{"amount":100,"on":"2026-01-05"}]},' +
        '{"dueOn":"2026-02-05","missedOn":"2026-02-09","number":2,"principalDue":90,"principalMovements":[]}]',
    );
  });

  it('leaves what is not plain JSON data to the walk', () => {
    const odd = [{ when: new Date('2026-01-01T00:00:00Z'), b: 1 }, { toJSON: () => ({ z: 1, a: 2 }) }, new Map([['k', 1]])];
    expect(canonicalJson(odd)).toBe(canonicalJsonByWalk(odd));
    // eslint-disable-next-line no-sparse-arrays
    expect(() => canonicalJson([1, , 3])).not.toThrow();
    expect(canonicalJson([1, , 3])).toBe(canonicalJsonByWalk([1, , 3]));
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
    const withProto = JSON.parse('{"__proto__":{"x":1},"a":2}');
    expect(canonicalJson(withProto)).toBe(canonicalJsonByWalk(withProto));
  });
});
