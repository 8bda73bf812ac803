/**
 * The stream read-ahead thread's entry (StreamReadAheadThread): on a connection of its own
 * to the event log's file, runs the reads a command's load will run (the store's own
 * statements, in loadAggregate's and the idempotency lookup's order: the snapshot, the
 * events past it, the command's first event id), so that the pages they pass through are in
 * memory by the time it does. What it reads is thrown away.
 *
 * At the process's own priority, unlike the other background threads: it must keep ahead of
 * the thread it reads for, and mostly waits for the disk.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDatabase } from './open-sqlite-database.js';
import { FIND_EVENT_ID_SQL, READ_SNAPSHOT_SQL, READ_STREAM_SQL } from './sqlite-event-store.queries.js';
import type { FromStreamReadAheadWorker, StreamReadAheadWorkerData, ToStreamReadAheadWorker } from './stream-read-ahead-thread-messages.js';

const port = parentPort!;
const { path, newestRequest } = workerData as StreamReadAheadWorkerData;
const newest = new Int32Array(newestRequest);
// The writer's synchronous setting (FULL) too: should this connection close last, the
// checkpoint SQLite runs on closing syncs the file as the writer's would.
const db = openSqliteDatabase(path);
// What it reads is wanted in the operating system's page cache, which the store's connection
// reads from, not in this connection's own: SQLite's default 2 MB, not the store's 64 MB.
db.pragma('cache_size = -2000');
const readSnapshot = db.prepare<[string, string], { revision: number }>(READ_SNAPSHOT_SQL);
const readStream = db.prepare<[string, number], unknown[]>(READ_STREAM_SQL).raw(true);
const findEventId = db.prepare<[string], unknown>(FIND_EVENT_ID_SQL);

port.on('message', (message: ToStreamReadAheadWorker) => {
  // A request that was already on its way when `stop` came finds the connection closed.
  if (!db.open) return;
  if (message.kind === 'stop') {
    db.close();
    port.close();
    return;
  }
  let [read, snapshots, events] = [0, 0, 0];
  let failure: string | undefined;
  try {
    for (const { stream, snapshotSchema, eventId } of message.streams) {
      // Two requests on, the store's thread has loaded these streams itself (or is stopping).
      if (Atomics.load(newest, 0) >= message.request + 2) break;
      const snapshot = snapshotSchema === undefined ? undefined : readSnapshot.get(stream, snapshotSchema);
      if (snapshot) snapshots++;
      events += readStream.all(stream, snapshot ? snapshot.revision + 1 : 0).length;
      findEventId.get(eventId);
      read++;
    }
  } catch (error) {
    // A busy or failing read only means the store's thread reads those pages itself.
    failure = error instanceof Error ? error.message : String(error);
  }
  const said: FromStreamReadAheadWorker = {
    kind: 'read',
    request: message.request,
    read,
    skipped: message.streams.length - read,
    snapshots,
    events,
    ...(failure !== undefined && { failure }),
  };
  port.postMessage(said);
});
