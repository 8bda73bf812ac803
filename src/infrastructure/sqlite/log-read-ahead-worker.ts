/**
 * A log read-ahead thread's entry (LogReadAheadThread): on a connection of its own to the
 * event log's file, reads one long read's pages with the store's own statement, each when
 * asked, and sends its rows as they are stored; the reader decodes them.
 *
 * At the priority of the thread that started it (a rebuild on the projection worker thread
 * runs lowered, and so does this): it must keep a page ahead of that thread, not of others.
 */
import type Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { logPages } from './log-pages.js';
import type { FromLogReadAheadWorker, LogReadAheadWorkerData, ToLogReadAheadWorker } from './log-read-ahead-thread-messages.js';
import { openSqliteDatabase } from './open-sqlite-database.js';
import { type EventRow, READ_ALL_SQL } from './sqlite-event-store.queries.js';

const port = parentPort!;
const { path, after, until, pageSize } = workerData as LogReadAheadWorkerData;
const say = (message: FromLogReadAheadWorker) => port.postMessage(message);
// Told by message, not thrown: SQLite's errors reach the other thread without their message.
const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

let db: Database.Database | undefined;
let pages: Generator<EventRow[]> | undefined;
let failed: string | undefined;
try {
  // The writer's synchronous setting (FULL) too: should this connection close last, the
  // checkpoint SQLite runs on closing syncs the file as the writer's would.
  db = openSqliteDatabase(path);
  // A pass over the log reads each page once: SQLite's default 2 MB, not the store's 64 MB.
  db.pragma('cache_size = -2000');
  const readAll = db.prepare<[number, number], EventRow>(READ_ALL_SQL).raw(true);
  pages = logPages((position, limit) => readAll.all(position, limit), after, until, pageSize);
} catch (error) {
  failed = failure(error);
}

port.on('message', (message: ToLogReadAheadWorker) => {
  if (message.kind === 'stop') {
    if (db?.open) db.close();
    port.close();
    return;
  }
  if (failed !== undefined) return say({ kind: 'failed', message: failed });
  try {
    const next = pages!.next();
    say({ kind: 'page', rows: next.done ? [] : next.value });
  } catch (error) {
    failed = failure(error);
    say({ kind: 'failed', message: failed });
  }
});
