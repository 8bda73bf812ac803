import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundThread } from '../../src/infrastructure/background-thread.js';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { WAL_CHECKPOINT_THREAD_NAME, WalCheckpointThread } from '../../src/infrastructure/sqlite/wal-checkpoint-thread.js';
import { PROJECTION_THREAD_NAME } from '../../src/infrastructure/projections/worker/projection-thread.js';
import { LOG_READ_AHEAD_THREAD_NAME } from '../../src/infrastructure/sqlite/log-read-ahead-thread.js';
import { STREAM_READ_AHEAD_THREAD_NAME } from '../../src/infrastructure/sqlite/stream-read-ahead-thread.js';
import { threadTotals } from '../../bench/support/process-threads.js';
import { someEvents } from '../support/events.js';
import { waitFor } from '../support/wait-for.js';

/** The names the operating system shows for this process's threads (ps -L, top -H). */
const threadNames = () => [...threadTotals().values()].map((thread) => thread.name);

/** Waits for a stop message, as every background thread's script does. */
const WAITS_FOR_STOP = new URL(
  `data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(0));")}`,
);
/** The WAL checkpoint thread's script runs only from the build (`npm test` builds it first). */
const BUILT_CHECKPOINT_WORKER = new URL('../../dist/src/infrastructure/sqlite/wal-checkpoint-worker.js', import.meta.url);
const ended = { couldNotStart: () => undefined, exitedUnexpectedly: () => undefined };
const onLinux = process.platform === 'linux' ? it : it.skip;

describe("the engine's threads, as the operating system names them", () => {
  onLinux('a background thread runs under its thread name, and is gone once stopped', async () => {
    const thread = new BackgroundThread('the test thread', WAITS_FOR_STOP, undefined, console, ended, { threadName: 'arrears-test' });
    expect(threadNames()).not.toContain('arrears-test');
    thread.start();
    await waitFor(() => threadNames().includes('arrears-test'), 'a thread named arrears-test');
    await thread.stop();
    expect(threadNames()).not.toContain('arrears-test');
  });

  onLinux("the event log's WAL checkpoint thread is named for what it does", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'arrears-thread-names-'));
    const path = join(folder, 'events.sqlite');
    const db = openSqliteDatabase(path, 'FULL');
    const store = new SqliteEventStore(db, { walCheckpoints: new WalCheckpointThread(path, 'FULL', db, console, BUILT_CHECKPOINT_WORKER) });
    try {
      // None yet (nor left by an earlier test in this process): the thread starts with the first commit.
      expect(threadNames()).not.toContain(WAL_CHECKPOINT_THREAD_NAME);
      await store.appendToStream('loan-1', someEvents(2), 'no-stream');
      await waitFor(() => threadNames().includes(WAL_CHECKPOINT_THREAD_NAME), `a thread named ${WAL_CHECKPOINT_THREAD_NAME}`);
      await store.close();
      expect(threadNames()).not.toContain(WAL_CHECKPOINT_THREAD_NAME);
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('gives each thread a name of its own that Linux keeps whole (15 characters)', () => {
    const names = [PROJECTION_THREAD_NAME, WAL_CHECKPOINT_THREAD_NAME, STREAM_READ_AHEAD_THREAD_NAME, LOG_READ_AHEAD_THREAD_NAME];
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(15);
  });
});
