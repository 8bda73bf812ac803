import { canonicalJson } from '../../src/kernel/canonical-json.js';
import { chainEvent, chainEvents, chainedMetadata, chainProblemOf, EVENT_HASH } from '../../src/kernel/event-store/event-hash-chain.js';
import type { EventMetadata } from '../../src/kernel/event-store/event-store.port.js';
import { sha256Hex } from '../../src/kernel/sha256-hex.js';

const AT = '2026-03-01T10:00:00.123Z';
const PREVIOUS = 'ab'.repeat(32);

/** What the store wrote before chainEvent: the chained metadata object, stringified. */
function asBefore(type: string, data: unknown, metadata: EventMetadata, previousHash: string | null) {
  const chained = chainedMetadata(type, data, metadata, AT, previousHash);
  return { hash: chained[EVENT_HASH] as string, dataJson: JSON.stringify(data), metadataJson: JSON.stringify(chained) };
}

describe('the event hash chain', () => {
  it('hashes the canonical JSON of type, data, metadata with the previous hash, and the recorded instant', () => {
    const { hash } = chainEvent('PaymentReceived', { b: 2, a: 1 }, { actor: 'x' }, AT, null);
    expect(hash).toBe(
      sha256Hex(canonicalJson({ type: 'PaymentReceived', data: { a: 1, b: 2 }, metadata: { actor: 'x', previousHash: null }, recordedAt: AT })),
    );
  });

  it.each<[string, unknown, EventMetadata]>([
    ['plain metadata', { amount: 12_345, currency: 'EUR', items: [1, { z: 1, y: [null, 'é"\n'] }] }, { correlationId: 'c', causationId: 'k', actor: 'a' }],
    ['empty metadata', { n: 1 }, {}],
    ['members left undefined', { n: undefined, m: [undefined] }, { actor: undefined, correlationId: 'c' }],
    ['nested objects out of order, and one already in order', { z: { b: 1, a: [{ d: 1, c: 2 }] }, a: { x: 1, y: 2 } }, { b: 'b', a: 'a' }],
    ['many keys', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${(i * 7) % 40}`, i])), { actor: 'a', z: 1, m: true, b: null }],
    ['an own __proto__ member, as JSON.parse makes', JSON.parse('{"__proto__":{"x":1},"a":2}'), JSON.parse('{"__proto__":"p","a":"b"}') as EventMetadata],
    ['strings JSON escapes', { s: 'quote " backslash \\ tab \t lone \ud800 line \u2028' }, { 'k"': '\u0001' }],
    ['a hole in an array (the long way)', { a: [1, , 3] }, {}],
    ['integer-like and unusual keys', { '10': 1, '2': 2, b: 3 }, { '1': 'one', 'x"y': 'q', '': 'empty' }],
    ['dates and numbers JSON writes its own way', { on: new Date(0), big: 1e21, negZero: -0, nan: NaN }, { at: new Date(86_400_000) }],
    ['metadata naming the chain members itself (the long way)', { n: 1 }, { hash: 'forged', previousHash: 'forged', actor: 'a' }],
    ['metadata with a toJSON (the long way)', { n: 1 }, { toJSON: () => ({ other: 1 }) } as unknown as EventMetadata],
  ])('stores the same hash and metadata text as the chained metadata stringified: %s', (_case, data, metadata) => {
    for (const previousHash of [null, PREVIOUS]) {
      expect(chainEvent('T', data, metadata, AT, previousHash)).toEqual(asBefore('T', data, metadata, previousHash));
    }
  });

  it('chains the events of an append one after another, as one chainEvent after another', () => {
    const events = [1, 2, 3].map((n) => ({ type: `T${n % 2}`, data: { n }, metadata: { actor: 'a' } }));
    for (const previousHash of [null, PREVIOUS, 'not a hex digest "quoted"']) {
      let previous = previousHash;
      const expected = events.map((event) => {
        const chained = asBefore(event.type, event.data, event.metadata, previous);
        previous = chained.hash;
        return chained;
      });
      expect(chainEvents(events, AT, previousHash)).toEqual(expected);
    }
  });

  it('refuses what has no JSON form, as before', () => {
    expect(() => chainEvent('T', { f: () => 1 }, {}, AT, null)).toThrow(TypeError);
    expect(() => chainEvent('T', { n: 1 }, { f: () => 1 }, AT, null)).toThrow(TypeError);
  });

  it('writes what verification accepts, and notices a change', () => {
    const data = { amount: 5 };
    const first = chainEvent('T', data, { actor: 'a' }, AT, null);
    const second = chainEvent('T', data, { actor: 'a' }, AT, first.hash);
    const event = (metadataJson: string, revision: number) => ({ type: 'T', data, metadata: JSON.parse(metadataJson) as EventMetadata, recordedAt: AT, revision });
    expect(chainProblemOf(event(first.metadataJson, 0), undefined)).toBeUndefined();
    expect(chainProblemOf(event(second.metadataJson, 1), { revision: 0, hash: first.hash })).toBeUndefined();
    expect(chainProblemOf({ ...event(second.metadataJson, 1), data: { amount: 6 } }, { revision: 0, hash: first.hash })?.problem).toBe('altered');
  });
});
