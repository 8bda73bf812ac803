/**
 * The stream read-ahead thread's entry (StreamReadAheadThread): on a connection of its own
 * to the event log's file, runs the reads a command's load will run (the store's own
 * statements, in loadAggregate's and the idempotency lookup's order: the snapshot, the
 * events past it, the command's first event id) and sends their rows to the store's thread,
 * a few streams at a time, for the load to take instead of reading them itself.
 *
 * At the process's own priority, unlike the other background threads: it must keep ahead of
 * the thread it reads for, and mostly waits for the disk.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDatabase } from './open-sqlite-database.js';
import { type EventIdRow, type EventRow, FIND_EVENT_ID_SQL, READ_SNAPSHOT_SQL, READ_STREAM_SQL, type SnapshotRow } from './sqlite-event-store.queries.js';
import type { StreamReadAhead } from '../../kernel/event-store/event-store.port.js';
import type { FromStreamReadAheadWorker, StreamReadAheadWorkerData, StreamReadRows, ToStreamReadAheadWorker } from './stream-read-ahead-thread-messages.js';

/**
 * Streams sent in one message: the store's thread can take the first of a page while the
 * rest are read (close of business names its first page just before deciding it), and each
 * message stays a few hundred kilobytes.
 */
const STREAMS_PER_MESSAGE = 50;

const port = parentPort!;
const { path, newestRequest } = workerData as StreamReadAheadWorkerData;
const newest = new Int32Array(newestRequest);
// The writer's synchronous setting (FULL) too: should this connection close last, the
// checkpoint SQLite runs on closing syncs the file as the writer's would.
const db = openSqliteDatabase(path);
// What it reads is handed over, and the pages the store's connection will want again (the
// stream's row, the index leaves its append writes) are in the operating system's page cache,
// which that connection reads from: SQLite's default 2 MB here, not the store's 64 MB.
db.pragma('cache_size = -2000');
const readSnapshot = db.prepare<[string, string], SnapshotRow>(READ_SNAPSHOT_SQL);
const readStream = db.prepare<[string, number], EventRow>(READ_STREAM_SQL).raw(true);
const findEventId = db.prepare<[string], EventIdRow>(FIND_EVENT_ID_SQL);

/**
 * A stream as its load and idempotency lookup would read it, in one read transaction: the
 * snapshot, the events past it and the event id's row all of one moment of the log.
 */
const readOneStream = db.transaction(({ stream, snapshotSchema, eventId }: StreamReadAhead): StreamReadRows => {
  const snapshot = snapshotSchema === undefined ? undefined : readSnapshot.get(stream, snapshotSchema);
  const events = readStream.all(stream, snapshot ? snapshot.revision + 1 : 0);
  return { stream, snapshotSchema, snapshot, events, eventId, eventIdRow: findEventId.get(eventId) };
}).deferred;

function tell(said: FromStreamReadAheadWorker): void {
  port.postMessage(said);
}

port.on('message', (message: ToStreamReadAheadWorker) => {
  // A request that was already on its way when `stop` came finds the connection closed.
  if (!db.open) return;
  if (message.kind === 'stop') {
    db.close();
    port.close();
    return;
  }
  const { request } = message;
  let [read, snapshots, events] = [0, 0, 0];
  let failure: string | undefined;
  let readNotSent: StreamReadRows[] = [];
  try {
    for (const hint of message.streams) {
      // Two requests on, the store's thread has loaded these streams itself (or is stopping).
      if (Atomics.load(newest, 0) >= request + 2) break;
      const rows = readOneStream(hint);
      readNotSent.push(rows);
      if (rows.snapshot) snapshots++;
      events += rows.events.length;
      read++;
      if (readNotSent.length === STREAMS_PER_MESSAGE) {
        tell({ kind: 'streams', request, streams: readNotSent });
        readNotSent = [];
      }
    }
  } catch (error) {
    // A busy or failing read only means the store's thread reads those streams itself.
    failure = error instanceof Error ? error.message : String(error);
  }
  if (readNotSent.length > 0) tell({ kind: 'streams', request, streams: readNotSent });
  tell({
    kind: 'read',
    request,
    read,
    skipped: message.streams.length - read,
    snapshots,
    events,
    ...(failure !== undefined && { failure }),
  });
});
