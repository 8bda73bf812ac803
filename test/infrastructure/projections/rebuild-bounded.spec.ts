import type { Projection, ReadModelDb, ReadModelTransaction } from '../../../src/infrastructure/projections/contract/projection.js';
import type { RowFamily } from '../../../src/infrastructure/projections/contract/row-family.js';
import { readCheckpoint } from '../../../src/infrastructure/projections/runner/checkpoint-table.js';
import { rebuildInMemory } from '../../../src/infrastructure/projections/runner/rebuild-in-memory.js';
import { IN_MEMORY, openSqliteDatabase } from '../../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { StoredEvent } from '../../../src/kernel/event-store/event-store.port.js';
import { loanStream } from '../../../src/loans/domain/loan-events.js';
import { allProjections } from '../../../src/read-models/all-projections.js';
import { appendInterleavedLoans, emptyProjectionTables, projectionTables } from '../../support/rebuild-fixtures.js';

/**
 * A rebuild whose rows do not all fit in memory writes them out now and then and reads them
 * back when an event names them again (a million loans would need ~11 GiB of heap): the
 * tables must come out exactly as from a rebuild that held every row.
 */

/** Per stream, its events so far; the stream's row goes when a loan is paid off, and comes back with its next event. */
const streamsUntilPaidOff: Projection = {
  name: 'streams-until-paid-off',
  version: 1,
  handles: 'all',
  tables: ['streams_until_paid_off'],
  families: [
    {
      table: 'streams_until_paid_off',
      keyColumn: 'stream',
      keyOf: (event: StoredEvent) => event.stream,
      next: (row, event) => (event.type === 'LoanPaidOff' ? undefined : { stream: event.stream, events: (row?.events ?? 0) + 1 }),
      toColumns: (row) => ({ ...row }),
      fromColumns: (columns) => ({ stream: columns['stream'] as string, events: Number(columns['events']) }),
    } satisfies RowFamily<{ stream: string; events: number }>,
  ],
  async createTables(db: ReadModelTransaction) {
    await db.schema
      .createTable('streams_until_paid_off')
      .addColumn('stream', 'text', (c) => c.primaryKey())
      .addColumn('events', 'integer', (c) => c.notNull())
      .execute();
  },
};

describe('rebuilding from the first event with rows held in memory bounded', () => {
  let store: SqliteEventStore;
  const databases: ReadModelDb[] = [];
  const projections = [...allProjections(), streamsUntilPaidOff];

  beforeAll(async () => {
    store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
    await appendInterleavedLoans(store, 40);
    // A paid-off loan's row removed, then one more event for it: the row comes back.
    await store.appendToStream(loanStream('L1'), [{ id: 'after-payoff', type: 'SomethingAfter', data: {} }], 'any');
  });
  afterAll(async () => {
    for (const db of databases) await db.destroy();
    await store.close();
  });

  async function rebuilt(maxRowsInMemory?: number): Promise<{ db: ReadModelDb; rows: number }> {
    const db = await emptyProjectionTables(projections);
    databases.push(db);
    const result = await rebuildInMemory(projections, store, db, { maxRowsInMemory, pageSize: 50 });
    return { db, rows: result!.rows };
  }

  const tables = (db: ReadModelDb) => projectionTables(db, projections);

  it('leaves every table as a rebuild holding every row does, with the checkpoints at the head', async () => {
    const whole = await rebuilt();
    const bounded = await rebuilt(7);
    // Written out many times over: rows read back, written again, one removed and brought back.
    expect(bounded.rows).toBeGreaterThan(3 * whole.rows);
    const expected = await tables(whole.db);
    expect(expected['overdue_status']).toHaveLength(40);
    expect(expected['streams_until_paid_off']!.length).toBeGreaterThan(0);
    expect(expected['streams_until_paid_off']!.length).toBeLessThan(40);
    expect(expected['streams_until_paid_off']).toContain(JSON.stringify({ stream: loanStream('L1'), events: 1 }));
    expect(await tables(bounded.db)).toEqual(expected);
    const head = await store.headPosition();
    for (const projection of projections) expect(await readCheckpoint(bounded.db, projection.name)).toEqual({ version: projection.version, position: head });
  });
});
