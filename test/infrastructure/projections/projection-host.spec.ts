import type { RowFamily } from '../../../src/infrastructure/projections/contract/row-family.js';
import type { Projection, ReadModelDb, ReadModelTransaction } from '../../../src/infrastructure/projections/contract/projection.js';
import { EVERY_PROJECTION_HERE } from '../../../src/infrastructure/projections/contract/projection-leases.js';
import { ProjectionHost } from '../../../src/infrastructure/projections/projection-host.js';
import { createCheckpointTable } from '../../../src/infrastructure/projections/runner/checkpoint-table.js';
import type { ProjectionStatus } from '../../../src/infrastructure/projections/runner/projection-status.js';
import { IN_MEMORY, openSqliteDatabase } from '../../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { GlobalPosition, StoredEvent } from '../../../src/kernel/event-store/event-store.port.js';
import { someEvents } from '../../support/events.js';
import { silentLogger } from '../../support/silent-logger.js';
import { openTestReadModels } from '../../support/test-config.js';
import { waitFor } from '../../support/wait-for.js';

/** Counts events per type in a table of its own; a poison type makes its fold throw. */
function typeCounts(table: string, poisonType?: string): Projection {
  const family: RowFamily<{ type: string; count: number }> = {
    table,
    keyColumn: 'type',
    keyOf: (event: StoredEvent) => event.type,
    next: (row, event) => {
      if (event.type === poisonType) throw new Error(`cannot project ${event.type}`);
      return { type: event.type, count: (row?.count ?? 0) + 1 };
    },
    toColumns: (row) => ({ ...row }),
    fromColumns: (columns) => ({ type: columns['type'] as string, count: Number(columns['count']) }),
  };
  return {
    name: table,
    version: 1,
    handles: 'all',
    tables: [table],
    families: [family],
    async createTables(db: ReadModelTransaction) {
      await db.schema
        .createTable(table)
        .addColumn('type', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();
    },
  };
}

/** The store, counting the events its reads hand out (readAll's and a rebuild's long read). */
class CountingStore extends SqliteEventStore {
  eventsRead = 0;
  override async *readLogAhead(after: GlobalPosition, until: GlobalPosition, pageSize: number): AsyncGenerator<StoredEvent[]> {
    for await (const page of super.readLogAhead(after, until, pageSize)) {
      this.eventsRead += page.length;
      yield page;
    }
  }
  override async readAll(afterPosition: GlobalPosition, limit: number): Promise<StoredEvent[]> {
    const page = await super.readAll(afterPosition, limit);
    this.eventsRead += page.length;
    return page;
  }
}

describe('ProjectionHost starting projections from position 0', () => {
  let store: CountingStore;
  let readModels: ReadModelDb;
  let host: ProjectionHost | undefined;
  const counts = async (table: string) =>
    Object.fromEntries((await readModels.selectFrom(table).select(['type', 'count']).orderBy('type').execute()).map((row) => [row.type, Number(row.count)]));

  beforeEach(async () => {
    store = new CountingStore(openSqliteDatabase(IN_MEMORY), { pollIntervalMs: 20 });
    readModels = await openTestReadModels();
    await createCheckpointTable(readModels);
  });
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    await store.close();
    await readModels.destroy();
  });

  const start = async (projections: Projection[]) => {
    host = new ProjectionHost(projections, store, readModels, EVERY_PROJECTION_HERE, { batchSize: 100, rebuildInMemory: true, leaseRetryMs: 60_000 }, silentLogger);
    await host.start();
    return host;
  };

  it('rebuilds them all in one pass over the log, then follows it', async () => {
    for (let n = 0; n < 10; n++) await store.appendToStream(`loan-${n}`, someEvents(300, n % 2 ? 'A' : 'B'), 'no-stream');
    const projections = [typeCounts('counts_1'), typeCounts('counts_2'), typeCounts('counts_3')];
    const running = await start(projections);
    await waitFor(() => running.runningStatuses().every((status) => status.checkpoint === 3_000 && status.state === 'live'), 'every projection caught up');

    // Each event read once for the three of them, not once for each.
    expect(store.eventsRead).toBe(3_000);
    for (const { name } of projections) expect(await counts(name)).toEqual({ A: 1_500, B: 1_500 });

    await store.appendToStream('loan-new', someEvents(2, 'C'), 'no-stream');
    await waitFor(() => running.runningStatuses().every((status) => status.checkpoint === 3_002), 'the new events followed');
    for (const { name } of projections) expect(await counts(name)).toEqual({ A: 1_500, B: 1_500, C: 2 });
  });

  it('tells of every change of the statuses as it happens, and nothing while nothing changes', async () => {
    for (let n = 0; n < 3; n++) await store.appendToStream(`loan-${n}`, someEvents(100, 'A'), 'no-stream');
    const told: ProjectionStatus[][] = [];
    const projections = [typeCounts('told_1'), typeCounts('told_2')];
    host = new ProjectionHost(projections, store, readModels, EVERY_PROJECTION_HERE, {
      batchSize: 100,
      rebuildInMemory: true,
      leaseRetryMs: 60_000,
      onStatusChange: () => told.push(host!.runningStatuses()),
    }, silentLogger);
    await host.start();
    const running = host;
    const caughtUp = (at: number) => running.runningStatuses().every((status) => status.checkpoint === at && status.state === 'live');
    await waitFor(() => caughtUp(300), 'both caught up');
    // What a reporter holding the last statuses it was told would report: the statuses as they are.
    expect(told.at(-1)).toEqual(running.runningStatuses());
    // From the first lease taken on, through the rebuild.
    expect(told[0]).toEqual([expect.objectContaining({ name: 'told_1', checkpoint: 0, state: 'idle' })]);

    const toldWhileIdle = told.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(told).toHaveLength(toldWhileIdle);

    await store.appendToStream('loan-new', someEvents(2, 'B'), 'no-stream');
    await waitFor(() => caughtUp(302), 'the new events followed');
    expect(told.length).toBeGreaterThan(toldWhileIdle);
    expect(told.at(-1)).toEqual(running.runningStatuses());
  });

  it('when a fold throws, rebuilds the others each on its own and stops the failing one at its event, as without sharing', async () => {
    await store.appendToStream('loan-1', someEvents(50, 'A'), 'no-stream');
    await store.appendToStream('loan-2', someEvents(1, 'Poison'), 'no-stream');
    await store.appendToStream('loan-3', someEvents(20, 'A'), 'no-stream');
    const running = await start([typeCounts('healthy_1'), typeCounts('failing', 'Poison'), typeCounts('healthy_2')]);
    await waitFor(() => running.runningStatuses().every((status) => status.state === 'live' || status.state === 'failed'), 'each projection settled');

    const statuses = Object.fromEntries(running.runningStatuses().map((status) => [status.name, status]));
    expect(statuses['healthy_1']).toMatchObject({ state: 'live', checkpoint: 71 });
    expect(statuses['healthy_2']).toMatchObject({ state: 'live', checkpoint: 71 });
    // Batches of 100: the first holds the poison, so nothing of it is written.
    expect(statuses['failing']).toMatchObject({ state: 'failed', checkpoint: 0, failure: { position: 51, eventType: 'Poison' } });
    expect(await counts('healthy_1')).toEqual({ A: 70, Poison: 1 });
    expect(await counts('healthy_2')).toEqual({ A: 70, Poison: 1 });
    expect(await counts('failing')).toEqual({});
  });
});
