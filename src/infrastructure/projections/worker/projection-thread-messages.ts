import type { GlobalPosition } from '../../../kernel/event-store/event-store.port.js';
import type { ProjectionStatus } from '../runner/projection-status.js';

/** What the request thread tells the projection worker. */
export type ToProjectionWorker =
  /** The request thread's store told of appends (up to `lastPosition`): read the log now rather than at the next poll. */
  | { readonly kind: 'appended'; readonly lastPosition: GlobalPosition }
  /** Let the batches in flight commit, close the stores, and say `stopped`. */
  | { readonly kind: 'stop' };

/** What the projection worker tells the request thread. */
export type FromProjectionWorker =
  /** The projections running in the worker, whenever one of them moved on or changed state. */
  | { readonly kind: 'statuses'; readonly statuses: readonly ProjectionStatus[] }
  /** Every projection whose lease the worker could take has started (its tables prepared). */
  | { readonly kind: 'started' }
  | { readonly kind: 'stopped' }
  /** The worker could not start its projections (a store could not be opened, say). */
  | { readonly kind: 'failed'; readonly message: string };
