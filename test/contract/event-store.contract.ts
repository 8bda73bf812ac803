import { chainProblemOf } from '../../src/kernel/event-store/event-hash-chain.js';
import { v7 as uuidv7 } from 'uuid';
import { EventIdReusedError } from '../../src/kernel/event-store/event-id-reused.error.js';
import type { AppendResult, EventStore, StoredEvent } from '../../src/kernel/event-store/event-store.port.js';
import { WrongExpectedRevisionError } from '../../src/kernel/event-store/wrong-expected-revision.error.js';
import { readLogInPages } from '../../src/kernel/event-store/read-log-in-pages.js';
import { someEvents, take } from '../support/events.js';

/** Where an append left its stream, without the stored events an adapter may hand over. */
function whereItEnded({ nextExpectedRevision, position }: AppendResult): Pick<AppendResult, 'nextExpectedRevision' | 'position'> {
  return { nextExpectedRevision, position };
}

/**
 * The behaviour every EventStore adapter must have. Each adapter's spec calls this with a
 * factory that yields an empty store; stream names are unique per test so that adapters
 * backed by a shared server can run it too.
 */
export function describeEventStoreContract(adapterName: string, openEmptyStore: () => Promise<EventStore>): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let streamCounter = 0;
    const newStream = () => `contract-${uuidv7()}-${streamCounter++}`;

    beforeEach(async () => {
      store = await openEmptyStore();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('appending and reading a stream', () => {
      it('numbers a new stream from revision 0 and reads it back in order with all fields', async () => {
        const stream = newStream();
        const events = someEvents(3);
        const result = await store.appendToStream(stream, events, 'no-stream');

        expect(result.nextExpectedRevision).toBe(2);
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.id, e.type, e.data, e.metadata, e.revision, e.stream])).toEqual(
          events.map((e, i) => [e.id, e.type, e.data, { ...e.metadata, hash: expect.stringMatching(/^[0-9a-f]{64}$/), previousHash: i === 0 ? null : read[i - 1]!.metadata['hash'] }, i, stream]),
        );
        expect(read[2]!.position).toBe(result.position);
        expect(read[0]!.position).toBeLessThan(read[1]!.position);
        for (const e of read) expect(new Date(e.recordedAt).toISOString()).toBe(e.recordedAt);
      });

      it('chains each event to the one before it in its stream: a hash over its content and the previous hash', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(2), 'no-stream');
        await store.appendToStream(newStream(), someEvents(1), 'no-stream');
        await store.appendToStream(stream, someEvents(1, 'ThingHappened', 2), 1);
        const read = await store.readStream(stream);
        expect(read.map((e) => e.metadata['previousHash'])).toEqual([null, read[0]!.metadata['hash'], read[1]!.metadata['hash']]);
        for (const event of read) expect(chainProblemOf(event, event.revision === 0 ? undefined : { revision: event.revision - 1, hash: read[event.revision - 1]!.metadata['hash'] as string })).toBeUndefined();
        const altered = { ...read[1]!, data: { n: 99 }, metadata: read[1]!.metadata };
        expect(chainProblemOf(altered, { revision: 0, hash: read[0]!.metadata['hash'] as string })).toMatchObject({ problem: 'altered' });
      });

      it('continues the revisions of an existing stream', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(2), 'no-stream');
        const result = await store.appendToStream(stream, someEvents(2, 'ThingHappened', 2), 1);
        expect(result.nextExpectedRevision).toBe(3);
        expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }]);
      });

      it('reads a stream from a given revision', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(5), 'no-stream');
        expect((await store.readStream(stream, 3)).map((e) => e.revision)).toEqual([3, 4]);
      });

      it('reads an unknown stream as empty', async () => {
        expect(await store.readStream(newStream())).toEqual([]);
      });

      it('keeps streams apart', async () => {
        const [a, b] = [newStream(), newStream()];
        await store.appendToStream(a, someEvents(2), 'no-stream');
        await store.appendToStream(b, someEvents(1, 'Other'), 'no-stream');
        expect((await store.readStream(a)).map((e) => e.type)).toEqual(['ThingHappened', 'ThingHappened']);
        expect((await store.readStream(b)).map((e) => e.type)).toEqual(['Other']);
      });

      it('appends 10,000 events in one call as one ordered stream', async () => {
        const stream = newStream();
        const result = await store.appendToStream(stream, someEvents(10_000), 'no-stream');
        expect(result.nextExpectedRevision).toBe(9_999);
        const read = await store.readStream(stream);
        expect(read).toHaveLength(10_000);
        expect(read.every((e, i) => e.revision === i && (e.data as { n: number }).n === i)).toBe(true);
      });
    });

    describe('expected revision', () => {
      it('refuses an append at a stale revision with the expected and actual revision, appending nothing', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(3), 'no-stream');
        const conflict = await store.appendToStream(stream, someEvents(1), 1).catch((e: unknown) => e);
        expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
        expect(conflict).toMatchObject({ stream, expectedRevision: 1, actualRevision: 2 });
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('no-stream refuses an existing stream', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(1), 'no-stream');
        await expect(store.appendToStream(stream, someEvents(1), 'no-stream')).rejects.toMatchObject({
          expectedRevision: 'no-stream',
          actualRevision: 0,
        });
      });

      it('stream-exists refuses a missing stream and accepts an existing one', async () => {
        const stream = newStream();
        await expect(store.appendToStream(stream, someEvents(1), 'stream-exists')).rejects.toMatchObject({
          actualRevision: 'no-stream',
        });
        await store.appendToStream(stream, someEvents(1), 'no-stream');
        await expect(store.appendToStream(stream, someEvents(1), 'stream-exists')).resolves.toMatchObject({
          nextExpectedRevision: 1,
        });
      });

      it('a revision number refuses a missing stream', async () => {
        await expect(store.appendToStream(newStream(), someEvents(1), 0)).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
      });

      it('any accepts both a missing and an existing stream', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(1), 'any');
        await expect(store.appendToStream(stream, someEvents(1), 'any')).resolves.toMatchObject({
          nextExpectedRevision: 1,
        });
      });

      it('lets exactly one of two racing writers win', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(1), 'no-stream');
        const outcomes = await Promise.allSettled([
          store.appendToStream(stream, someEvents(1), 0),
          store.appendToStream(stream, someEvents(1), 0),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason)).toEqual([
          expect.any(WrongExpectedRevisionError),
        ]);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('idempotent event ids', () => {
      it('appending the same events again appends nothing and returns the first result', async () => {
        const stream = newStream();
        const events = someEvents(3);
        const first = await store.appendToStream(stream, events, 'no-stream');
        await store.appendToStream(stream, someEvents(1), 2);

        // A retry with its original expected revision, after the stream moved on.
        const again = await store.appendToStream(stream, events, 'no-stream');
        expect(whereItEnded(again)).toEqual(whereItEnded(first));
        expect(await store.readStream(stream)).toHaveLength(4);
      });

      it('a retry whose expected revision still holds (any) appends nothing and returns the first result', async () => {
        const stream = newStream();
        const events = someEvents(2);
        const first = await store.appendToStream(stream, events, 'any');

        const again = await store.appendToStream(stream, events, 'any');
        expect(whereItEnded(again)).toEqual(whereItEnded(first));
        expect(await store.readStream(stream)).toHaveLength(2);
        // Nothing of the retry was left half-written: the stream goes on from where the first append ended.
        expect((await store.appendToStream(stream, someEvents(1), 1)).nextExpectedRevision).toBe(2);
      });

      it('refuses an append that repeats only some stored ids, appending nothing', async () => {
        const stream = newStream();
        const events = someEvents(2);
        await store.appendToStream(stream, events, 'no-stream');
        const mixed = [events[1]!, ...someEvents(1)];
        await expect(store.appendToStream(stream, mixed, 'any')).rejects.toBeInstanceOf(EventIdReusedError);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('refuses a stored id appended to another stream', async () => {
        const events = someEvents(1);
        await store.appendToStream(newStream(), events, 'no-stream');
        const other = newStream();
        await expect(store.appendToStream(other, events, 'any')).rejects.toBeInstanceOf(EventIdReusedError);
        expect(await store.readStream(other)).toEqual([]);
      });

      it('refuses one id twice in one append, appending nothing', async () => {
        const stream = newStream();
        const [event] = someEvents(1);
        await expect(store.appendToStream(stream, [event!, event!], 'no-stream')).rejects.toBeInstanceOf(
          EventIdReusedError,
        );
        expect(await store.readStream(stream)).toEqual([]);
      });
    });

    describe('batches of appends', () => {
      it('appends to several streams in one call, each checked on its own', async () => {
        const [a, b, c] = [newStream(), newStream(), newStream()];
        await store.appendToStream(b, someEvents(2), 'no-stream');
        const outcomes = await store.appendToStreams([
          { stream: a, events: someEvents(1), expectedRevision: 'no-stream' },
          { stream: b, events: someEvents(1, 'ThingHappened', 2), expectedRevision: 1 },
          { stream: c, events: someEvents(3), expectedRevision: 'no-stream' },
        ]);
        expect(outcomes.map((o) => o.appended?.nextExpectedRevision)).toEqual([0, 2, 2]);
        expect((await store.readStream(b)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
        expect(await store.readStream(c)).toHaveLength(3);
      });

      it('refuses a conflicting append in its slot, appending nothing of it, while the others go ahead', async () => {
        const [a, b] = [newStream(), newStream()];
        await store.appendToStream(b, someEvents(2), 'no-stream');
        const reused = someEvents(1);
        await store.appendToStream(newStream(), reused, 'no-stream');
        const outcomes = await store.appendToStreams([
          { stream: b, events: someEvents(1), expectedRevision: 0 },
          { stream: a, events: someEvents(2), expectedRevision: 'no-stream' },
          { stream: a, events: [...someEvents(1), ...reused], expectedRevision: 1 },
        ]);
        expect(outcomes[0]!.refused).toBeInstanceOf(WrongExpectedRevisionError);
        expect(outcomes[0]!.refused).toMatchObject({ stream: b, expectedRevision: 0, actualRevision: 1 });
        expect(outcomes[1]!.appended?.nextExpectedRevision).toBe(1);
        expect(outcomes[2]!.refused).toBeInstanceOf(EventIdReusedError);
        expect(await store.readStream(b)).toHaveLength(2);
        expect(await store.readStream(a)).toHaveLength(2);
      });

      it('a repeated batch appends nothing and returns the first results', async () => {
        const [a, b] = [newStream(), newStream()];
        const batch = [
          { stream: a, events: someEvents(2), expectedRevision: 'no-stream' as const },
          { stream: b, events: someEvents(1), expectedRevision: 'no-stream' as const },
        ];
        const first = await store.appendToStreams(batch);
        const again = await store.appendToStreams(batch);
        expect(again.map((outcome) => whereItEnded(outcome.appended!))).toEqual(first.map((outcome) => whereItEnded(outcome.appended!)));
        expect(await store.readStream(a)).toHaveLength(2);
      });

      it('an empty batch is answered at once', async () => {
        expect(await store.appendToStreams([])).toEqual([]);
      });
    });

    describe('snapshots', () => {
      const schema = 'thing-state/1';

      it('keeps a snapshot at the revision its append ends on, and returns it only for its schema', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(3), 'no-stream', { snapshot: { schema, state: { total: 3, items: [1, 2] } } });
        expect(await store.readSnapshot(stream, schema)).toEqual({ schema, revision: 2, state: { total: 3, items: [1, 2] } });
        expect(await store.readSnapshot(stream, 'thing-state/2')).toBeUndefined();
        expect(await store.readSnapshot(newStream(), schema)).toBeUndefined();
      });

      it('keeps the snapshot of the newest append that brought one, in batches too', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(1), 'no-stream', { snapshot: { schema, state: { total: 1 } } });
        await store.appendToStream(stream, someEvents(1), 0);
        expect(await store.readSnapshot(stream, schema)).toMatchObject({ revision: 0, state: { total: 1 } });
        await store.appendToStreams([{ stream, events: someEvents(2), expectedRevision: 1, snapshot: { schema, state: { total: 4 } } }]);
        expect(await store.readSnapshot(stream, schema)).toMatchObject({ revision: 3, state: { total: 4 } });
      });

      it('an append of no events keeps a snapshot at the stream\'s current revision', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(2), 'no-stream');
        await store.appendToStream(stream, [], 1, { snapshot: { schema, state: { total: 2 } } });
        expect(await store.readSnapshot(stream, schema)).toMatchObject({ revision: 1, state: { total: 2 } });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('a refused append keeps no snapshot', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(2), 'no-stream');
        await expect(store.appendToStream(stream, someEvents(1), 0, { snapshot: { schema, state: { total: 9 } } })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        const [outcome] = await store.appendToStreams([{ stream, events: someEvents(1), expectedRevision: 0, snapshot: { schema, state: { total: 9 } } }]);
        expect(outcome!.refused).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readSnapshot(stream, schema)).toBeUndefined();
      });
    });

    describe('what an append returns', () => {
      it('where it hands over the stored events, they are what a read returns', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(1), 'no-stream');
        const result = await store.appendToStream(stream, someEvents(2), 0);
        const [outcome] = await store.appendToStreams([{ stream, events: someEvents(1), expectedRevision: 2 }]);
        const stored = await store.readStream(stream);

        expect(whereItEnded(result)).toEqual({ nextExpectedRevision: 2, position: stored[2]!.position });
        // Data and metadata too: an adapter may give them as getters, which toEqual does not compare.
        const everything = (events: readonly StoredEvent[]) => events.map((e) => [e.id, e.stream, e.type, e.data, e.metadata, e.revision, e.position, e.recordedAt]);
        if (result.events) expect(everything(result.events)).toEqual(everything(stored.slice(1, 3)));
        if (outcome!.appended!.events) expect(everything(outcome!.appended!.events)).toEqual(everything(stored.slice(3)));
      });
    });

    describe("a stream's revision", () => {
      it('is the revision of its last event, and -1 before the first', async () => {
        const stream = newStream();
        expect(await store.streamRevision(stream)).toBe(-1);
        await store.appendToStream(stream, someEvents(3), 'no-stream');
        expect(await store.streamRevision(stream)).toBe(2);
        await store.appendToStreams([{ stream, events: someEvents(1), expectedRevision: 2 }]);
        expect(await store.streamRevision(stream)).toBe(3);
      });
    });

    describe('locating an event', () => {
      it('tells the revision an event id is stored at in a stream, and nothing for another stream', async () => {
        const stream = newStream();
        const events = someEvents(3);
        await store.appendToStream(stream, events, 'no-stream');
        expect(await store.locateEvent(events[1]!.id, stream)).toEqual({ stream, revision: 1 });
        expect(await store.locateEvent(uuidv7(), stream)).toBeUndefined();
        expect(await store.locateEvent(events[1]!.id, newStream())).toBeUndefined();
      });
    });

    describe('the global log', () => {
      it('reads every stream in append order, after a position, a page at a time', async () => {
        const start = await store.headPosition();
        const [a, b] = [newStream(), newStream()];
        await store.appendToStream(a, someEvents(2, 'A', 0), 'no-stream');
        await store.appendToStream(b, someEvents(2, 'B', 2), 'no-stream');
        await store.appendToStream(a, someEvents(1, 'A', 4), 1);

        const all = await store.readAll(start, 100);
        expect(all.map((e) => [e.stream, (e.data as { n: number }).n])).toEqual([
          [a, 0],
          [a, 1],
          [b, 2],
          [b, 3],
          [a, 4],
        ]);
        const positions = all.map((e) => e.position);
        expect([...positions].sort((x, y) => x - y)).toEqual(positions);

        const page = await store.readAll(positions[1]!, 2);
        expect(page.map((e) => e.position)).toEqual(positions.slice(2, 4));
        expect(await store.headPosition()).toBe(positions[4]);
        expect(await store.countEventsAfter(positions[1]!)).toBe(3);
        expect(await store.readAll(positions[4]!, 10)).toEqual([]);
      });

      it('a long read (readLogInPages) pages the log up to a position, as readAll would', async () => {
        const start = await store.headPosition();
        const [a, b] = [newStream(), newStream()];
        await store.appendToStream(a, someEvents(6, 'A', 0), 'no-stream');
        await store.appendToStream(b, someEvents(5, 'B', 6), 'no-stream');
        const all = await store.readAll(start, 100);
        const until = all[9]!.position;

        const pages: StoredEvent[][] = [];
        for await (const page of readLogInPages(store, all[1]!.position, until, 3)) pages.push(page);
        expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
        expect(pages.flat().map((e) => [e.id, e.stream, e.type, e.position, e.data])).toEqual(all.slice(2, 10).map((e) => [e.id, e.stream, e.type, e.position, e.data]));
        const nothing: StoredEvent[][] = [];
        for await (const page of readLogInPages(store, until, until, 3)) nothing.push(page);
        expect(nothing).toEqual([]);
      });

      it('a subscription catches up from a position, then follows live appends', async () => {
        const stream = newStream();
        const start = await store.headPosition();
        await store.appendToStream(stream, someEvents(3), 'no-stream');
        const first = (await store.readStream(stream))[0]!;

        const subscription = store.subscribeToAll(first.position);
        try {
          const received = take(subscription, 4);
          await new Promise((resolve) => setTimeout(resolve, 50));
          await store.appendToStream(stream, someEvents(2, 'ThingHappened', 3), 2);
          expect((await received).map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4]);
        } finally {
          await subscription.close();
        }
        expect(await store.countEventsAfter(start)).toBe(5);
      });

      it('a subscription from the start delivers the whole log without gaps', async () => {
        await store.appendToStream(newStream(), someEvents(2500), 'no-stream');
        const subscription = store.subscribeToAll(0);
        try {
          const received = await take(subscription, 2500);
          const positions = received.map((e) => e.position);
          expect(new Set(positions).size).toBe(2500);
          expect([...positions].sort((x, y) => x - y)).toEqual(positions);
        } finally {
          await subscription.close();
        }
      });

      it('a closed subscription ends its iteration', async () => {
        const subscription = store.subscribeToAll(await store.headPosition());
        const iterator = subscription[Symbol.asyncIterator]();
        const next = iterator.next();
        await subscription.close();
        await expect(next).resolves.toMatchObject({ done: true });
      });
    });

    describe('telling of appends (onAppended)', () => {
      /** Waits for `condition`, polling: a store that hears of its own appends through the server tells of them a moment later. */
      const waitFor = async (condition: () => boolean, what: string) => {
        for (const deadline = Date.now() + 5_000; !condition(); ) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };

      it('tells a listener the new last position after an append, once it can be read', async () => {
        const before = await store.headPosition();
        const told: number[] = [];
        const readable: Promise<boolean>[] = [];
        const stop = store.onAppended((lastPosition) => {
          told.push(lastPosition);
          // Read at the moment it is told: the events up to the position told are there already.
          readable.push(store.readAll(before, 10_000).then((events) => events.some((event) => event.position === lastPosition)));
        });
        try {
          const result = await store.appendToStream(newStream(), someEvents(3), 'no-stream');
          await waitFor(() => told.includes(result.position), 'the append to be told');
          expect(await Promise.all(readable)).not.toContain(false);
          expect([...told].sort((x, y) => x - y)).toEqual(told);
          expect(told.every((position) => position > before)).toBe(true);

          const batch = await store.appendToStreams([
            { stream: newStream(), events: someEvents(1), expectedRevision: 'no-stream' },
            { stream: newStream(), events: someEvents(2), expectedRevision: 'no-stream' },
          ]);
          const newest = Math.max(...batch.map((outcome) => outcome.appended!.position));
          await waitFor(() => told.includes(newest), 'the batch to be told');
          expect(await Promise.all(readable)).not.toContain(false);
        } finally {
          stop();
        }
      });

      it('tells every listener, and no longer one that unsubscribed', async () => {
        const [first, second]: number[][] = [[], []];
        const stopFirst = store.onAppended((position) => first.push(position));
        const stopSecond = store.onAppended((position) => second.push(position));
        try {
          const result = await store.appendToStream(newStream(), someEvents(1), 'no-stream');
          await waitFor(() => first.includes(result.position) && second.includes(result.position), 'both listeners to be told');

          stopFirst();
          const heardBefore = first.length;
          const next = await store.appendToStream(newStream(), someEvents(1), 'no-stream');
          await waitFor(() => second.includes(next.position), 'the remaining listener to be told');
          await new Promise((resolve) => setTimeout(resolve, 50));
          expect(first).toHaveLength(heardBefore);
        } finally {
          stopFirst();
          stopSecond();
        }
      });

      it('tells nothing for an append that stores nothing (a retry answered with the first result)', async () => {
        const stream = newStream();
        const events = someEvents(1);
        await store.appendToStream(stream, events, 'no-stream');
        const told: number[] = [];
        const stop = store.onAppended((position) => told.push(position));
        try {
          await store.appendToStream(stream, events, 'no-stream');
          await new Promise((resolve) => setTimeout(resolve, 50));
          expect(told).toEqual([]);
        } finally {
          stop();
        }
      });
    });
  });
}
