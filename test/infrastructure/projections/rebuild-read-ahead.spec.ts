import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadModelDb } from '../../../src/infrastructure/projections/contract/projection.js';
import { readCheckpoint } from '../../../src/infrastructure/projections/runner/checkpoint-table.js';
import { rebuildInMemory } from '../../../src/infrastructure/projections/runner/rebuild-in-memory.js';
import { type LogReadAheads, LogReadAheadThread } from '../../../src/infrastructure/sqlite/log-read-ahead-thread.js';
import { openSqliteDatabase } from '../../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../../src/infrastructure/sqlite/sqlite-event-store.js';
import { allProjections } from '../../../src/read-models/all-projections.js';
import { appendInterleavedLoans, emptyProjectionTables, projectionTables } from '../../support/rebuild-fixtures.js';

/**
 * A rebuild over the embedded store with its log read a page ahead on a thread of its own
 * (LogReadAheadThread, as `openEventStore` wires it for a file on disk) must leave every
 * table as a rebuild reading on its own thread does. The thread's script runs only from the
 * build (`npm test` builds it first). It is given no shortest read here: the engine's
 * (100,000 positions) would leave a log this size to the caller's thread.
 */
const BUILT_WORKER = new URL('../../../dist/src/infrastructure/sqlite/log-read-ahead-worker.js', import.meta.url);

describe('rebuilding from the first event with the log read ahead on a thread', () => {
  const projections = allProjections();
  let folder: string;
  let path: string;
  const databases: ReadModelDb[] = [];
  const stores: SqliteEventStore[] = [];
  const warnings: unknown[][] = [];
  const logger = { error: (...args: unknown[]) => void warnings.push(args), warn: (...args: unknown[]) => void warnings.push(args) };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-rebuild-read-ahead-'));
    path = join(folder, 'events.sqlite');
    const writer = new SqliteEventStore(openSqliteDatabase(path));
    await appendInterleavedLoans(writer, 30);
    await writer.close();
  });
  afterAll(async () => {
    for (const db of databases) await db.destroy();
    for (const store of stores) await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function rebuiltFrom(store: SqliteEventStore): Promise<ReadModelDb> {
    const db = await emptyProjectionTables(projections);
    databases.push(db);
    // Pages of 50: over more than 500 events the thread is asked for more than ten pages, two at a time ahead.
    expect(await rebuildInMemory(projections, store, db, { pageSize: 50 })).toBeDefined();
    return db;
  }

  const tables = (db: ReadModelDb) => projectionTables(db, projections);

  it('leaves every table and checkpoint as a rebuild reading on its own thread, every page read by the thread', async () => {
    const here = new SqliteEventStore(openSqliteDatabase(path));
    stores.push(here);
    const thread = new LogReadAheadThread(path, logger, BUILT_WORKER, 0);
    /** The thread, counting the pages it handed over and those left to the caller's thread (its fallback). */
    const counted = { pages: 0, readHere: 0 };
    const countingThread: LogReadAheads = {
      async *pages(after, until, pageSize, readHere) {
        for await (const page of thread.pages(after, until, pageSize, (position, limit) => (counted.readHere++, readHere(position, limit)))) {
          counted.pages++;
          yield page;
        }
      },
    };
    const ahead = new SqliteEventStore(openSqliteDatabase(path), { logReadAhead: countingThread });
    stores.push(ahead);

    const expected = await tables(await rebuiltFrom(here));
    const throughThread = await rebuiltFrom(ahead);

    expect(expected['overdue_status']).toHaveLength(30);
    expect(await tables(throughThread)).toEqual(expected);
    const head = await ahead.headPosition();
    expect(head).toBeGreaterThan(500);
    for (const projection of projections) expect(await readCheckpoint(throughThread, projection.name)).toEqual({ version: projection.version, position: head });
    expect(counted).toEqual({ pages: Math.ceil(head / 50), readHere: 0 });
    expect(warnings).toEqual([]);
  });
});
