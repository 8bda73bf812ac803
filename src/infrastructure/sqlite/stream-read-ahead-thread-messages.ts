import type { StopBackgroundThread } from '../background-thread.js';
import type { StreamReadAhead } from '../../kernel/event-store/event-store.port.js';

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

/** What the stream read-ahead thread tells the store's thread. */
export type FromStreamReadAheadWorker = {
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
