import type { StopBackgroundThread } from '../background-thread.js';
import type { StreamReadAhead } from '../../kernel/event-store/event-store.port.js';
import type { EventIdRow, EventRow, SnapshotRow } from './sqlite-event-store.queries.js';

/** What the stream read-ahead thread is started with. */
export interface StreamReadAheadWorkerData {
  /** The event log's file. */
  readonly path: string;
  /**
   * One Int32: the number of the newest request sent (the largest Int32 once stopping). A
   * request two behind it names streams the store's own thread has loaded already: the rest
   * of it is skipped.
   */
  readonly newestRequest: SharedArrayBuffer;
}

/** What the store's thread tells the stream read-ahead thread. */
export type ToStreamReadAheadWorker =
  /** Read these streams as their loads will, numbered in the order sent. */
  | { readonly kind: 'read'; readonly request: number; readonly streams: readonly StreamReadAhead[] }
  | StopBackgroundThread;

/** One stream as the thread read it: the rows the store's own statements give, as they give them. */
export interface StreamReadRows {
  readonly stream: string;
  /** The hint's snapshot schema, which the snapshot was read with. */
  readonly snapshotSchema: string | undefined;
  /** READ_SNAPSHOT_SQL's row, where there was one. */
  readonly snapshot: SnapshotRow | undefined;
  /** READ_STREAM_SQL's rows past the snapshot (from the first without one). */
  readonly events: EventRow[];
  /** The hint's event id, and FIND_EVENT_ID_SQL's row for it, where it was stored. */
  readonly eventId: string;
  readonly eventIdRow: EventIdRow | undefined;
}

/** What the stream read-ahead thread tells the store's thread. */
export type FromStreamReadAheadWorker =
  /** Some of a request's streams, read: sent as they are read, a few at a time, before the request's report. */
  | { readonly kind: 'streams'; readonly request: number; readonly streams: StreamReadRows[] }
  /** A request done. */
  | {
      readonly kind: 'read';
      readonly request: number;
      /** Streams read, and those skipped as too late. */
      readonly read: number;
      readonly skipped: number;
      /** What the reads found: snapshots, and events past them (or from the start). */
      readonly snapshots: number;
      readonly events: number;
      /** Why the request stopped short, when a read failed; the thread goes on with the next. */
      readonly failure?: string;
    };
