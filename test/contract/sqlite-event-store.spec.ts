import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IN_MEMORY, openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { describeEventStoreContract } from './event-store.contract.js';
import { someEvents } from '../support/events.js';
import { AppendNotifier } from '../../src/kernel/event-store/append-notifier.js';
import { waitFor } from '../support/wait-for.js';
import { WrongExpectedRevisionError } from '../../src/kernel/event-store/wrong-expected-revision.error.js';
import { EventIdReusedError } from '../../src/kernel/event-store/event-id-reused.error.js';

describeEventStoreContract('embedded SQLite (:memory:)', async () => new SqliteEventStore(openSqliteDatabase(IN_MEMORY)));

describe('SqliteEventStore on a file', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-store-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps events across reopening and sees appends made by another connection', async () => {
    const path = join(folder, 'nested', 'events.sqlite');
    const writer = new SqliteEventStore(openSqliteDatabase(path));
    const reader = new SqliteEventStore(openSqliteDatabase(path), { pollIntervalMs: 20 });
    const subscription = reader.subscribeToAll(0);
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      const next = iterator.next();
      await writer.appendToStream('loan-1', someEvents(1), 'no-stream');
      await expect(next).resolves.toMatchObject({ value: { stream: 'loan-1', revision: 0 } });
    } finally {
      await subscription.close();
      await writer.close();
      await reader.close();
    }
    const reopened = new SqliteEventStore(openSqliteDatabase(path));
    expect(await reopened.readStream('loan-1')).toHaveLength(1);
    await reopened.close();
  });

  it("tells its listeners of another connection's appends within its poll interval, and wakes subscriptions on news from another thread", async () => {
    const path = join(folder, 'events.sqlite');
    const writer = new SqliteEventStore(openSqliteDatabase(path));
    const elsewhere = new AppendNotifier();
    const reader = new SqliteEventStore(openSqliteDatabase(path), { pollIntervalMs: 30, appendsElsewhere: elsewhere });
    // A poll interval far longer than the test: only the news from elsewhere can wake its subscription.
    const slowReader = new SqliteEventStore(openSqliteDatabase(path), { pollIntervalMs: 60_000, appendsElsewhere: elsewhere });
    const subscription = slowReader.subscribeToAll(0);
    const told: number[] = [];
    const stop = reader.onAppended((position) => told.push(position));
    try {
      const next = subscription[Symbol.asyncIterator]().next();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const { position } = await writer.appendToStream('loan-1', someEvents(2), 'no-stream');
      await waitFor(() => told.includes(position), "the other connection's append");
      elsewhere.appended(position);
      await expect(next).resolves.toMatchObject({ value: { stream: 'loan-1', revision: 0 } });
    } finally {
      stop();
      await subscription.close();
      await Promise.all([writer.close(), reader.close(), slowReader.close()]);
    }
  });

  it('refuses a stale write from a second connection to the same file', async () => {
    const path = join(folder, 'events.sqlite');
    const [a, b] = [new SqliteEventStore(openSqliteDatabase(path)), new SqliteEventStore(openSqliteDatabase(path))];
    await a.appendToStream('loan-1', someEvents(1), 'no-stream');
    await expect(b.appendToStream('loan-1', someEvents(1), 'no-stream')).rejects.toMatchObject({
      actualRevision: 0,
    });
    await a.close();
    await b.close();
  });
});

describe('SqliteEventStore appends', () => {
  it('hand over the stored events, so that a command need not read them back', async () => {
    const store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
    const result = await store.appendToStream('loan-1', someEvents(2), 'no-stream');
    expect(result.events).toEqual(await store.readStream('loan-1'));
    await store.close();
  });

  // The store writes up to 64 rows per INSERT: 100 events take statements of 64, 32 and 4 rows.
  it('hand over the positions the events were stored at, when an append takes several insert statements', async () => {
    const store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
    await store.appendToStream('loan-0', someEvents(3), 'no-stream');
    const result = await store.appendToStream('loan-1', someEvents(100), 'no-stream');
    await store.appendToStream('loan-0', someEvents(1), 2);
    const stored = await store.readStream('loan-1');
    expect(result.events).toEqual(stored);
    expect(stored.map((event) => event.position)).toEqual(Array.from({ length: 100 }, (_, index) => 4 + index));
    expect(stored.map((event) => (event.data as { n: number }).n)).toEqual(Array.from({ length: 100 }, (_, index) => index));
    expect(result.position).toBe(103);
    await store.close();
  });

  it('refuse an id repeated in a later insert statement of the same append, naming it and storing nothing', async () => {
    const store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
    const events = someEvents(100);
    // At index 70: in the statement of rows 64–95, which it is not the first of.
    events[70] = { ...events[70]!, id: events[10]!.id };
    const refused = store.appendToStream('loan-1', events, 'no-stream');
    await expect(refused).rejects.toBeInstanceOf(EventIdReusedError);
    await expect(refused).rejects.toMatchObject({ eventIds: [events[10]!.id] });
    expect(await store.readStream('loan-1')).toEqual([]);
    expect(await store.headPosition()).toBe(0);
    await store.close();
  });

  it('refuse an id stored before when it comes in a later insert statement, naming it and storing nothing', async () => {
    const store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
    const [earlier] = someEvents(1);
    await store.appendToStream('loan-0', [earlier!], 'no-stream');
    // At index 66: in the statement of rows 64–67, which it is not the first of.
    const events = [...someEvents(66), earlier!, ...someEvents(4)];
    const refused = store.appendToStream('loan-1', events, 'no-stream');
    await expect(refused).rejects.toMatchObject({ eventIds: [earlier!.id] });
    expect(await store.readStream('loan-1')).toEqual([]);
    expect(await store.headPosition()).toBe(1);
    await store.close();
  });
});

describe('SqliteEventStore group commit', () => {
  it('commits the appends asked for in one turn together, refusing only the one whose revision is stale', async () => {
    const store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
    await store.appendToStream('loan-0', someEvents(1), 'no-stream');
    const batches = jest.spyOn(store as unknown as { batchTransaction: (requests: unknown[]) => unknown }, 'batchTransaction');

    const appends = [
      store.appendToStream('loan-1', someEvents(2), 'no-stream'),
      store.appendToStream('loan-0', someEvents(1), 'no-stream'), // stale: loan-0 exists
      store.appendToStream('loan-2', someEvents(1), 'no-stream'),
    ];
    const [first, stale, third] = await Promise.allSettled(appends);
    expect(first).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
    expect(stale).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
    expect(third).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0 } });
    expect(batches).toHaveBeenCalledTimes(1);
    expect(batches.mock.calls[0]![0]).toHaveLength(3);
    expect((await store.readAll(1, 10)).map((e) => [e.stream, e.position])).toEqual([
      ['loan-1', 2],
      ['loan-1', 3],
      ['loan-2', 4],
    ]);
    expect(await store.readStream('loan-0')).toHaveLength(1);
    await store.close();
  });
});
