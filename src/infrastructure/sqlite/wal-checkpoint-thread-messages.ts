import type { StopBackgroundThread } from '../background-thread.js';
import type { SqliteSynchronous } from './open-sqlite-database.js';

/** What the WAL checkpoint thread is started with: the event log's file, and how hard its commits sync. */
export interface WalCheckpointWorkerData {
  readonly path: string;
  /** The writer's: a checkpoint syncs the file it copied into unless this is OFF. */
  readonly synchronous: SqliteSynchronous;
}

/** What the store's thread tells the WAL checkpoint thread. */
export type ToWalCheckpointWorker =
  /** Commits have been made since the last checkpoint: copy what the WAL holds into the file now. */
  | { readonly kind: 'checkpoint' }
  | StopBackgroundThread;

/** What the WAL checkpoint thread tells the store's thread. */
export type FromWalCheckpointWorker =
  /** A checkpoint ran: the WAL held `walFrames` pages, `copiedFrames` of them are now in the file (SQLite's answer; -1 for both when the file is not in WAL mode). */
  { readonly kind: 'checkpointed'; readonly walFrames: number; readonly copiedFrames: number };
