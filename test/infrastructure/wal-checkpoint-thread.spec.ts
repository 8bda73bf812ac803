import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { WalCheckpointThread } from '../../src/infrastructure/sqlite/wal-checkpoint-thread.js';
import type { FromWalCheckpointWorker } from '../../src/infrastructure/sqlite/wal-checkpoint-thread-messages.js';
import { someEvents } from '../support/events.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The event log's WAL copied back into its file by a thread of its own. The thread's script
 * runs only from the build (`npm test` builds it first), as the projection worker's does.
 */
const BUILT_WORKER = new URL('../../dist/src/infrastructure/sqlite/wal-checkpoint-worker.js', import.meta.url);
/** A thread that ends at once, as one that failed would. */
const EXITS_AT_ONCE = new URL('data:text/javascript,process.exit(3)');

describe('WalCheckpointThread', () => {
  let folder: string;
  let path: string;
  let db: Database.Database;
  let store: SqliteEventStore | undefined;
  const errors: unknown[][] = [];
  const logger = { error: (...args: unknown[]) => void errors.push(args) };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-wal-checkpoints-'));
    path = join(folder, 'events.sqlite');
    db = openSqliteDatabase(path, 'FULL');
    errors.length = 0;
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    if (db.open) db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const fileBytes = () => statSync(path).size;
  const autocheckpointPages = () => db.pragma('wal_autocheckpoint', { simple: true });
  /** A few hundred KB of events on 20 streams: far below the ~40 MB at which a commit would copy the WAL back itself. */
  const appendSome = async () => {
    for (let n = 0; n < 20; n++) await store!.appendToStream(`loan-${n}`, someEvents(50), 'any');
  };

  it('copies what the commits wrote to the WAL into the file, which the committing connection no longer does', async () => {
    const thread = new WalCheckpointThread(path, 'FULL', db, logger, BUILT_WORKER);
    const checkpoints: FromWalCheckpointWorker[] = [];
    thread.onCheckpointed((said) => checkpoints.push(said));
    store = new SqliteEventStore(db, { walCheckpoints: thread });
    const before = fileBytes();

    await appendSome();
    // The writer steps in only at four times its usual 10,000 pages, should the thread fall behind.
    expect(autocheckpointPages()).toBe(40_000);
    // The thread's report of its checkpoint may arrive after the file has grown: both are waited for.
    await waitFor(() => fileBytes() > before + 100_000 && checkpoints.some((c) => c.copiedFrames > 0), 'the events in the file itself, and the report of the checkpoint');

    await store.close();
    store = undefined;
    expect(db.open).toBe(false);
    // Stopping asked for no checkpoint of a closed connection, and said nothing.
    expect(errors).toEqual([]);
  });

  it('starts no thread until the first commit: a process that only reads has none', async () => {
    const thread = new WalCheckpointThread(path, 'FULL', db, logger, BUILT_WORKER);
    store = new SqliteEventStore(db, { walCheckpoints: thread });
    await store.readStream('loan-1');
    expect(autocheckpointPages()).toBe(10_000);
    await store.close();
    store = undefined;
    expect(errors).toEqual([]);
  });

  it('leaves the WAL alone when no thread runs (the control: the same commits do not reach the file)', async () => {
    store = new SqliteEventStore(db);
    const before = fileBytes();
    await appendSome();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fileBytes()).toBe(before);
  });

  it('gives the checkpoints back to the committing connection, and says so, when the thread ends unexpectedly', async () => {
    const thread = new WalCheckpointThread(path, 'FULL', db, logger, EXITS_AT_ONCE);
    store = new SqliteEventStore(db, { walCheckpoints: thread });
    await appendSome();
    await waitFor(() => errors.length > 0, 'the thread ending to be reported');
    expect(String(errors[0]!.at(-1))).toContain('the WAL checkpoint thread exited unexpectedly (code 3)');
    expect(autocheckpointPages()).toBe(10_000);
    // Commits go on as before.
    await appendSome();
    expect(await store.readStream('loan-19')).toHaveLength(100);
  });

  it('does the same when its script cannot be loaded', async () => {
    const thread = new WalCheckpointThread(path, 'FULL', db, logger, new URL('./no-such-worker.js', BUILT_WORKER));
    store = new SqliteEventStore(db, { walCheckpoints: thread });
    await appendSome();
    await waitFor(() => errors.some((e) => String(e.at(-1)).includes('exited unexpectedly')), 'the thread ending to be reported');
    expect(autocheckpointPages()).toBe(10_000);
  });
});
