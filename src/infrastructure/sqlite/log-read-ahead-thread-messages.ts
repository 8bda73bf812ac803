import type { StopBackgroundThread } from '../background-thread.js';
import type { GlobalPosition } from '../../kernel/event-store/event-store.port.js';
import type { EventRow } from './sqlite-event-store.queries.js';

/** What a log read-ahead thread is started with: one long read of the log. */
export interface LogReadAheadWorkerData {
  /** The event log's file. */
  readonly path: string;
  /** The read: the rows after `after` up to `until` (inclusive), at most `pageSize` a page. */
  readonly after: GlobalPosition;
  readonly until: GlobalPosition;
  readonly pageSize: number;
}

/** What the reader tells a log read-ahead thread. */
export type ToLogReadAheadWorker =
  /** Read the next page and send it. */
  | { readonly kind: 'read' }
  | StopBackgroundThread;

/** What a log read-ahead thread tells the reader, once for each `read`. */
export type FromLogReadAheadWorker =
  /** The next page; empty once the read is done. */
  | { readonly kind: 'page'; readonly rows: EventRow[] }
  /** A read failed: the thread reads no more. */
  | { readonly kind: 'failed'; readonly message: string };
