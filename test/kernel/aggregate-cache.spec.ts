import fc from 'fast-check';
import { AggregateCache } from '../../src/kernel/commands/aggregate-cache.js';

const decider = {};
const state = (revision: number) => ({ state: { revision }, revision, snapshotRevision: -1 });

/** The rule written plainly: an array from least to most recently used, the front dropped beyond capacity. */
class PlainLeastRecentlyUsed {
  readonly order: string[] = [];
  constructor(private readonly capacity: number) {}
  get(stream: string): boolean {
    const at = this.order.indexOf(stream);
    if (at < 0) return false;
    this.order.push(...this.order.splice(at, 1));
    return true;
  }
  set(stream: string): void {
    const at = this.order.indexOf(stream);
    if (at >= 0) this.order.splice(at, 1);
    this.order.push(stream);
    if (this.order.length > this.capacity) this.order.shift();
  }
  forget(stream: string): void {
    const at = this.order.indexOf(stream);
    if (at >= 0) this.order.splice(at, 1);
  }
}

const operation = fc.record({ kind: fc.constantFrom('get', 'set', 'set', 'forget'), stream: fc.integer({ min: 0, max: 12 }).map((n) => `loan-${n}`) });

describe('AggregateCache', () => {
  it('keeps exactly the most recently used states, through uses, evictions and forgetting, emptied and filled again', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(operation, { maxLength: 300 }), (capacity, operations) => {
        const cache = new AggregateCache(capacity);
        const plain = new PlainLeastRecentlyUsed(capacity);
        operations.forEach(({ kind, stream }, index) => {
          if (kind === 'get') expect(cache.get(decider, stream) !== undefined).toBe(plain.get(stream));
          if (kind === 'set') (cache.set(decider, stream, state(index)), plain.set(stream));
          if (kind === 'forget') (cache.forget(stream), plain.forget(stream));
        });
        // Whatever the plain rule keeps is kept, and nothing else: a get uses each, so in the rule's order.
        for (const stream of [...plain.order]) expect(cache.get(decider, stream)).toBeDefined();
        for (let n = 0; n <= 12; n++) if (!plain.order.includes(`loan-${n}`)) expect(cache.get(decider, `loan-${n}`)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it("refresh brings a kept state up to date, keeps no new stream, and leaves another decider's state for the same stream", () => {
    const cache = new AggregateCache(3);
    const otherDecider = {};
    cache.set(decider, 'a', state(1));
    cache.set(otherDecider, 'b', state(1));
    cache.refresh(decider, 'a', state(2));
    cache.refresh(decider, 'b', state(2));
    cache.refresh(decider, 'c', state(2));
    expect(cache.get(decider, 'a')).toEqual(state(2));
    expect(cache.get(otherDecider, 'b')).toEqual(state(1));
    expect(cache.get(decider, 'b')).toBeUndefined();
    expect(cache.get(decider, 'c')).toBeUndefined();
  });

  it('drops the least recently used after its entries were evicted or forgotten, and it was filled again', () => {
    const cache = new AggregateCache(2);
    for (const stream of ['a', 'b', 'c', 'd']) cache.set(decider, stream, state(0));
    cache.forget('c');
    cache.forget('d');
    for (const stream of ['e', 'f']) cache.set(decider, stream, state(1));
    cache.get(decider, 'e');
    cache.set(decider, 'g', state(2));
    expect(cache.get(decider, 'f')).toBeUndefined();
    expect(cache.get(decider, 'e')).toBeDefined();
    expect(cache.get(decider, 'g')).toBeDefined();
  });
});
