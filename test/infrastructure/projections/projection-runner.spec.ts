import type { RowFamily } from '../../../src/infrastructure/projections/contract/row-family.js';
import { IN_MEMORY, openSqliteDatabase } from '../../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { StoredEvent } from '../../../src/kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb, ReadModelTransaction } from '../../../src/infrastructure/projections/contract/projection.js';
import { createCheckpointTable, readCheckpoint, writeCheckpoint } from '../../../src/infrastructure/projections/runner/checkpoint-table.js';
import { rebuildInMemory } from '../../../src/infrastructure/projections/runner/rebuild-in-memory.js';
import { ProjectionRunner } from '../../../src/infrastructure/projections/runner/projection-runner.js';
import { StreamCatalogueProjection } from '../../../src/read-models/stream-catalogue/stream-catalogue.projection.js';
import { someEvents } from '../../support/events.js';
import { silentLogger } from '../../support/silent-logger.js';
import { waitFor } from '../../support/wait-for.js';
import { openTestReadModels } from '../../support/test-config.js';

/** Counts events per type; version and a poison type are set per test. */
class TypeCountProjection implements Projection {
  readonly name = 'type-counts';
  readonly tables = ['type_counts'];
  constructor(
    readonly version: number,
    readonly handles: readonly string[] | 'all' = 'all',
    private readonly poisonType?: string,
  ) {}
  async createTables(db: ReadModelTransaction) {
    await db.schema
      .createTable('type_counts')
      .addColumn('type', 'text', (c) => c.primaryKey())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('counted_by_version', 'integer', (c) => c.notNull())
      .execute();
  }
  readonly families: RowFamily<{ type: string; count: number; counted_by_version: number }>[] = [
    {
      table: 'type_counts',
      keyColumn: 'type',
      keyOf: (event: StoredEvent) => event.type,
      next: (row, event) => {
        if (event.type === this.poisonType) throw new Error(`cannot project ${event.type}`);
        return { type: event.type, count: (row?.count ?? 0) + 1, counted_by_version: this.version };
      },
      toColumns: (row) => ({ ...row }),
      fromColumns: (columns) => ({ type: columns['type'] as string, count: Number(columns['count']), counted_by_version: Number(columns['counted_by_version']) }),
    },
  ];
}

describe('ProjectionRunner', () => {
  let store: SqliteEventStore;
  let readModels: ReadModelDb;
  const runners: ProjectionRunner[] = [];
  const runnerFor = (projection: Projection, batchSize = 100) => {
    const runner = new ProjectionRunner(projection, store, readModels, { batchSize, logger: silentLogger });
    runners.push(runner);
    return runner;
  };
  const typeCounts = async () =>
    Object.fromEntries(
      (await readModels.selectFrom('type_counts').select(['type', 'count']).orderBy('type').execute()).map((r) => [
        r.type,
        Number(r.count),
      ]),
    );

  beforeEach(async () => {
    store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY), { pollIntervalMs: 20 });
    readModels = await openTestReadModels();
    await createCheckpointTable(readModels);
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await store.close();
    await readModels.destroy();
  });

  it('catches up with the log, then follows live appends, keeping rows and checkpoint together', async () => {
    await store.appendToStream('loan-1', someEvents(250, 'PaymentReceived'), 'no-stream');
    await store.appendToStream('loan-2', someEvents(3, 'LoanOriginated'), 'no-stream');
    const runner = runnerFor(new TypeCountProjection(1));
    await runner.start();
    await waitFor(() => runner.status().state === 'live', 'catch-up');
    expect(await typeCounts()).toEqual({ LoanOriginated: 3, PaymentReceived: 250 });

    const { position } = await store.appendToStream('loan-2', someEvents(2, 'PaymentReceived'), 2);
    await waitFor(() => runner.status().checkpoint === position, 'the live append');
    expect(await typeCounts()).toEqual({ LoanOriginated: 3, PaymentReceived: 252 });
    expect(await readCheckpoint(readModels, 'type-counts')).toEqual({ version: 1, position });
  });

  it('moves the checkpoint past events it does not handle without applying them', async () => {
    await store.appendToStream('loan-1', [...someEvents(2, 'A'), ...someEvents(3, 'B')], 'no-stream');
    const status = await runnerFor(new TypeCountProjection(1, ['B'])).runUntilCaughtUp();
    expect(status.checkpoint).toBe(await store.headPosition());
    expect(await typeCounts()).toEqual({ B: 3 });
  });

  it('resumes from its checkpoint instead of applying events again', async () => {
    await store.appendToStream('loan-1', someEvents(10, 'A'), 'no-stream');
    await runnerFor(new TypeCountProjection(1)).runUntilCaughtUp();
    await store.appendToStream('loan-1', someEvents(5, 'A'), 9);
    await runnerFor(new TypeCountProjection(1)).runUntilCaughtUp();
    expect(await typeCounts()).toEqual({ A: 15 });
  });

  it('rebuilds a projection from position 0 into fresh tables when its version changes', async () => {
    await store.appendToStream('loan-1', someEvents(7, 'A'), 'no-stream');
    await runnerFor(new TypeCountProjection(1)).runUntilCaughtUp();
    await runnerFor(new TypeCountProjection(1)).runUntilCaughtUp();
    expect(await typeCounts()).toEqual({ A: 7 });

    const status = await runnerFor(new TypeCountProjection(2)).runUntilCaughtUp();
    expect(status).toMatchObject({ version: 2, checkpoint: await store.headPosition() });
    const rows = await readModels.selectFrom('type_counts').selectAll().execute();
    expect(rows.map((r) => [r.type, Number(r.count), Number(r.counted_by_version)])).toEqual([['A', 7, 2]]);
  });

  it('stops only the projection whose handler throws, at the failing position, with its batch rolled back', async () => {
    await store.appendToStream('loan-1', someEvents(5, 'A'), 'no-stream');
    await store.appendToStream('loan-2', someEvents(1, 'Poison'), 'no-stream');
    await store.appendToStream('loan-3', someEvents(4, 'A'), 'no-stream');
    const poisonPosition = (await store.readStream('loan-2'))[0]!.position;

    const failing = runnerFor(new TypeCountProjection(1, 'all', 'Poison'), 3);
    const healthy = runnerFor(new StreamCatalogueProjection(), 3);
    await failing.start();
    await healthy.start();
    await waitFor(() => failing.status().state === 'failed', 'the failure');
    await waitFor(() => healthy.status().state === 'live', 'the healthy projection');

    expect(failing.status()).toMatchObject({
      state: 'failed',
      checkpoint: 3,
      failure: { position: poisonPosition, eventType: 'Poison', stream: 'loan-2', message: 'cannot project Poison' },
    });
    // Batches of 3: [1,2,3] committed, [4,5,6] rolled back because 6 is the poison.
    expect(await typeCounts()).toEqual({ A: 3 });
    expect(await readCheckpoint(readModels, 'type-counts')).toEqual({ version: 1, position: 3 });
    expect(healthy.status().checkpoint).toBe(10);
  });

  it('never applies an event twice when two runners (two processes, say) keep the same projection', async () => {
    const moves: string[] = [];
    const logger = { info: (_: unknown, message: string) => void moves.push(message), error: () => undefined } as unknown as typeof silentLogger;
    const runnerOn = () => {
      const runner = new ProjectionRunner(new TypeCountProjection(1), store, readModels, { batchSize: 7, logger });
      runners.push(runner);
      return runner;
    };
    const [first, second] = [runnerOn(), runnerOn()];
    await first.start();
    await second.start();
    for (let n = 0; n < 20; n++) await store.appendToStream(`loan-${n}`, someEvents(50, 'A'), 'no-stream');
    await waitFor(() => first.status().checkpoint === 1000 && second.status().checkpoint === 1000, 'both runners');
    expect(await typeCounts()).toEqual({ A: 1000 });
    expect(moves).toContain('checkpoint moved by another process; resuming from it');
  });

  it('goes on from a checkpoint another process moved past the events it had read, with nothing more appended', async () => {
    const runner = runnerFor(new TypeCountProjection(1), 100);
    await store.appendToStream('loan-1', someEvents(10, 'A'), 'no-stream');
    await runner.start();
    await waitFor(() => runner.status().checkpoint === 10, 'the first ten events');
    // Another process applies events 11-15 while this one reads 11-20; then the log goes quiet.
    await store.appendToStream('loan-2', someEvents(10, 'A'), 'no-stream');
    await readModels.transaction().execute((trx) => writeCheckpoint(trx, 'type-counts', { version: 1, position: 15 }, new Date()));
    await waitFor(() => runner.status().checkpoint === 20, 'events 16-20 after the move', 3_000);
    expect(await typeCounts()).toEqual({ A: 15 });
  });

  it('finishes the batch in flight when stopped, leaving a consistent checkpoint', async () => {
    await store.appendToStream('loan-1', someEvents(5000, 'A'), 'no-stream');
    const runner = runnerFor(new TypeCountProjection(1), 50);
    await runner.start();
    await waitFor(() => runner.status().checkpoint > 0, 'the first batch');
    await runner.stop();
    const stored = await readCheckpoint(readModels, 'type-counts');
    expect(stored!.position).toBe(runner.status().checkpoint);
    expect(await typeCounts()).toEqual({ A: stored!.position });
    expect(runner.status().state).toBe('stopped');
  });

  it('rebuilding from the first event writes every row once, or nothing at all when stopped half-way', async () => {
    for (let n = 0; n < 30; n++) await store.appendToStream(`loan-${n}`, someEvents(1_000, n % 2 ? 'A' : 'B'), 'no-stream');
    const projection = new TypeCountProjection(1);
    const prepare = async () => {
      await readModels.transaction().execute(async (trx) => {
        await projection.createTables(trx);
        await writeCheckpoint(trx, projection.name, { version: 1, position: 0 }, new Date());
      });
    };
    await prepare();
    let pages = 0;
    expect(await rebuildInMemory([projection], store, readModels, { stopped: () => ++pages === 2 })).toBeUndefined();
    expect(await typeCounts()).toEqual({});
    expect(await readCheckpoint(readModels, 'type-counts')).toEqual({ version: 1, position: 0 });

    expect(await rebuildInMemory([projection], store, readModels)).toEqual({ position: 30_000, events: 30_000, rows: 2 });
    expect(await typeCounts()).toEqual({ A: 15_000, B: 15_000 });
    expect(await readCheckpoint(readModels, 'type-counts')).toEqual({ version: 1, position: 30_000 });
  });
});
