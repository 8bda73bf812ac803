import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/config/app-config.js';
import { openEventStore } from '../../src/infrastructure/open-stores.js';
import { PostgresEventStore, type PostgresEventStoreOptions } from '../../src/infrastructure/postgres/postgres-event-store.js';
import type { GlobalPosition, StoredEvent } from '../../src/kernel/event-store/event-store.port.js';
import { EventUpcasters } from '../../src/kernel/event-store/event-upcasters.js';
import { someEvents } from '../support/events.js';
import { TEST_SCHEMA_PREFIX } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';
import { describeEventStoreContract } from './event-store.contract.js';

/**
 * The EventStore contract and the global order under concurrent writers, on the PostgreSQL
 * at TEST_POSTGRES_URL (`.ci/run` sets it: postgres://postgres@127.0.0.1:5432/test), each
 * store in a schema of its own, dropped at the end. Skipped, saying so, without it.
 */
const url = process.env['TEST_POSTGRES_URL'];
if (!url) console.log('PostgreSQL event store suite SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it');
const describeWithPostgres = url ? describe : describe.skip;

const schemas: string[] = [];
const newSchema = () => {
  const schema = `${TEST_SCHEMA_PREFIX}${randomUUID().replaceAll('-', '')}`;
  schemas.push(schema);
  return schema;
};
const open = (schema: string, options: PostgresEventStoreOptions = {}) => PostgresEventStore.open(url!, { schema, pollIntervalMs: 20, ...options });

afterAll(async () => {
  if (!url || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
});

if (url) describeEventStoreContract('PostgreSQL', () => open(newSchema()));

/** A writer whose appends stop before COMMIT until the test lets each one go. */
function heldWriter(schema: string) {
  const held: { lastPosition: GlobalPosition; release: () => void }[] = [];
  const store = open(schema, {
    beforeCommit: ({ lastPosition }) => new Promise<void>((release) => held.push({ lastPosition, release })),
  });
  return { store, held };
}

/** Collects what a subscription delivers, until closed. */
function follow(subscription: AsyncIterable<StoredEvent>): StoredEvent[] {
  const seen: StoredEvent[] = [];
  void (async () => {
    for await (const event of subscription) seen.push(event);
  })();
  return seen;
}

const settle = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithPostgres('PostgreSQL event store: the global order under concurrent writers', () => {
  it('shows nobody an event committed ahead of a lower position still in flight, then everything exactly once, in order', async () => {
    const schema = newSchema();
    const [a, b, c] = [heldWriter(schema), heldWriter(schema), heldWriter(schema)];
    const [writerA, writerB, writerC, reader] = await Promise.all([a.store, b.store, c.store, open(schema)]);
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const subscription = reader.subscribeToAll(0);
    const seen = follow(subscription);
    const told: number[] = [];
    const stopTelling = reader.onAppended((position) => told.push(position));
    try {
      // A takes positions 1-2, B 3, C 4; each stays open before COMMIT.
      const appendA = writerA.appendToStream('loan-a', someEvents(2), 'no-stream');
      await waitFor(() => a.held.length === 1, 'A to write');
      const appendB = writerB.appendToStream('loan-b', someEvents(1), 'no-stream');
      await waitFor(() => b.held.length === 1, 'B to write');
      const appendC = writerC.appendToStream('loan-c', someEvents(1), 'no-stream');
      await waitFor(() => c.held.length === 1, 'C to write');
      expect([a.held[0]!.lastPosition, b.held[0]!.lastPosition, c.held[0]!.lastPosition]).toEqual([2, 3, 4]);

      // C commits first: a reader going by position alone would read 4 now, move past it, and never read 1-3.
      c.held[0]!.release();
      expect((await appendC).position).toBe(4);
      expect((await raw.query(`SELECT position FROM "${schema}".events ORDER BY position`)).rows.map((row) => Number(row.position))).toEqual([4]);
      await settle();
      expect(await reader.readAll(0, 100)).toEqual([]);
      expect(await reader.headPosition()).toBe(0);
      expect(await reader.countEventsAfter(0)).toBe(0);
      expect(seen).toEqual([]);
      expect(told).toEqual([]);

      b.held[0]!.release();
      await appendB;
      await settle();
      expect(await reader.readAll(0, 100)).toEqual([]);
      expect(seen).toEqual([]);
      expect(told).toEqual([]);

      // A, holding the lowest positions, commits last: now all of it, in position order.
      a.held[0]!.release();
      await appendA;
      await waitFor(() => seen.length === 4, 'the subscriber to see all four events');
      expect(seen.map((event) => [event.position, event.stream])).toEqual([
        [1, 'loan-a'],
        [2, 'loan-a'],
        [3, 'loan-b'],
        [4, 'loan-c'],
      ]);
      await waitFor(() => told.includes(4), 'the listener to be told');
      expect(told).toEqual([4]);
      expect((await reader.readAll(0, 100)).map((event) => event.position)).toEqual([1, 2, 3, 4]);
      await settle();
      expect(seen).toHaveLength(4);
    } finally {
      // Whatever failed, no writer is left holding its transaction open.
      for (const writer of [a, b, c]) for (const held of writer.held) held.release();
      stopTelling();
      await subscription.close();
      await raw.end();
      await Promise.all([writerA.close(), writerB.close(), writerC.close(), reader.close()]);
    }
  });

  it('several writers committing in random order: a subscriber and a paging reader each see every event once, in the final order', async () => {
    const schema = newSchema();
    const commitOrder: number[] = [];
    const random = (ms: number) => Math.floor(Math.random() * ms);
    const writers = await Promise.all(
      Array.from({ length: 4 }, () =>
        open(schema, {
          poolSize: 3,
          beforeCommit: async ({ lastPosition }) => {
            await settle(random(15));
            commitOrder.push(lastPosition);
          },
        }),
      ),
    );
    const reader = await open(schema);
    const subscription = reader.subscribeToAll(0);
    const subscribed = follow(subscription);
    // A second reader pages through readAll three events at a time, as a projection would.
    const paged: StoredEvent[] = [];
    let writing = true;
    const paging = (async () => {
      let checkpoint = 0;
      while (writing || (await reader.countEventsAfter(checkpoint)) > 0) {
        const page = await reader.readAll(checkpoint, 3);
        for (const event of page) {
          expect(event.position).toBeGreaterThan(checkpoint);
          checkpoint = event.position;
          paged.push(event);
        }
        if (page.length === 0) await settle(random(5));
      }
    })();
    try {
      let appended = 0;
      await Promise.all(
        writers.map(async (writer, w) => {
          await Promise.all(
            Array.from({ length: 3 }, async (_, lane) => {
              for (let n = 0; n < 8; n++) {
                const count = 1 + random(3);
                await writer.appendToStream(`loan-${w}-${lane}`, someEvents(count, 'ThingHappened', n * 10), n === 0 ? 'no-stream' : 'stream-exists');
                appended += count;
              }
            }),
          );
        }),
      );
      writing = false;
      await paging;
      await waitFor(() => subscribed.length >= appended, 'the subscriber to see every event');
      await settle();

      const log = await reader.readAll(0, 10_000);
      expect(log).toHaveLength(appended);
      const positions = log.map((event) => event.position);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      expect(subscribed.map((event) => event.id)).toEqual(log.map((event) => event.id));
      expect(paged.map((event) => event.id)).toEqual(log.map((event) => event.id));
      // The run did commit out of position order (else it proved nothing).
      expect(commitOrder.some((position, index) => index > 0 && position < commitOrder[index - 1]!)).toBe(true);
    } finally {
      writing = false;
      await subscription.close();
      await Promise.all([...writers.map((writer) => writer.close()), reader.close()]);
    }
  });
});

describeWithPostgres('PostgreSQL event store: a transaction left open elsewhere', () => {
  it('holds back the global log, never the append nor its stream, and readers wait for it only a moment', async () => {
    const schema = newSchema();
    const store = await open(schema);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');
      const { position } = await store.appendToStream('loan-1', someEvents(1), 'no-stream');
      expect(await store.readStream('loan-1')).toHaveLength(1);
      const started = Date.now();
      expect(await store.readAll(0, 10)).toEqual([]);
      expect(Date.now() - started).toBeLessThan(3_000);
      await other.query('COMMIT');
      expect((await store.readAll(0, 10)).map((event) => event.position)).toEqual([position]);
    } finally {
      await other.end();
      await store.close();
    }
  });
});

describeWithPostgres('PostgreSQL event store across processes', () => {
  it("tells a listener of another store's appends (LISTEN/NOTIFY), without waiting for its poll", async () => {
    const schema = newSchema();
    const writer = await open(schema);
    const reader = await open(schema, { pollIntervalMs: 60_000 });
    const told: number[] = [];
    const stop = reader.onAppended((position) => told.push(position));
    try {
      await settle();
      const { position } = await writer.appendToStream('loan-1', someEvents(2), 'no-stream');
      await waitFor(() => told.includes(position), "the other store's append", 2_000);
      expect((await reader.readAll(0, 10)).map((event) => event.position)).toContain(position);
    } finally {
      stop();
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it('is opened by EVENT_STORE=postgres, tables created at start, and read through the upcasters', async () => {
    const schema = newSchema();
    const config = loadConfig({ EVENT_STORE: 'postgres', EVENT_STORE_URL: url!, EVENT_STORE_SCHEMA: schema });
    const upcasters = new EventUpcasters([{ type: 'ThingHappened', fromVersion: 1, upcast: (data) => ({ ...(data as object), v: 2 }) }]);
    const store = openEventStore(config, upcasters);
    try {
      await store.appendToStream('loan-1', someEvents(1), 'no-stream');
      expect((await store.readStream('loan-1'))[0]!.data).toEqual({ n: 0, v: 2 });
      expect((await store.stored.readStream('loan-1'))[0]!.data).toEqual({ n: 0 });
      expect((await store.readAll(0, 10))[0]!.data).toEqual({ n: 0, v: 2 });
    } finally {
      await store.close();
    }
  });
});
