import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/app-config.js';
import { BackgroundThread } from '../background-thread.js';
import { IN_MEMORY, type SqliteSynchronous, WAL_BYTES_BETWEEN_CHECKPOINTS, checkpointOnCommitEvery } from './open-sqlite-database.js';
import type { FromWalCheckpointWorker, ToWalCheckpointWorker, WalCheckpointWorkerData } from './wal-checkpoint-thread-messages.js';

const WORKER_SCRIPT = new URL('./wal-checkpoint-worker.js', import.meta.url);
/** The thread's name as the operating system shows it (BackgroundThread). */
export const WAL_CHECKPOINT_THREAD_NAME = 'wal-checkpoints';

/**
 * How long after a commit the WAL is copied back: the commits made meanwhile are copied
 * together (a page written by several of them, once), and under a close of business the
 * WAL holds about this long's worth of commits. 1,000 ms measured within the noise of this
 * at 100,000 loans, with a WAL ten times larger.
 */
export const CHECKPOINT_DELAY_MS = 100;

/**
 * The writer still copies the WAL back itself once it holds this much: should the thread
 * fall behind or stop, the WAL cannot grow without end.
 */
const WAL_BYTES_BEFORE_THE_WRITER_STEPS_IN = 4 * WAL_BYTES_BETWEEN_CHECKPOINTS;

/** Whether the embedded event log's WAL is copied back by a thread of its own: asked for, and the log in a file. */
export function walCheckpointsRunInThread(config: AppConfig): boolean {
  return config.SQLITE_CHECKPOINTS === 'thread' && config.SQLITE_EVENTS_PATH !== IN_MEMORY;
}

/** Where an event store tells of its commits so that its WAL gets copied back into its file. */
export interface WalCheckpoints {
  /** A transaction was committed on the writer's connection. */
  committed(): void;
  stop(): Promise<void>;
}

/**
 * SQLite copies the WAL back into the database file (a checkpoint) on the connection whose
 * commit makes the WAL pass wal_autocheckpoint. For the event log that is the request
 * thread: each 40 MB of WAL cost the commit that crossed it ~85 ms of random writes and a
 * sync, in the middle of a close of business (a sixth to a quarter of a 100,000-loan close,
 * and its longest stalls: 0.13–0.37 s) or of a payment's request. Here a thread of its own,
 * on its own connection, copies the WAL back CHECKPOINT_DELAY_MS after commits, while the
 * writer goes on committing (WAL mode lets a checkpoint run beside the writer and readers).
 *
 * A checkpoint copies what was committed when it began. Where commits never pause for as
 * long as a checkpoint takes, it may never catch up with the last one, and SQLite starts the
 * WAL afresh only once it has: the WAL then grows until the writer copies back what is left
 * itself, at WAL_BYTES_BEFORE_THE_WRITER_STEPS_IN (little by then, but on its thread).
 *
 * Nothing about durability changes: a commit is as durable as SQLITE_SYNCHRONOUS makes it,
 * and the thread's connection has the writer's setting, so its checkpoints sync the file
 * before the WAL is reused. The thread starts with the first commit: a process that only
 * reads (most CLI commands) never starts it.
 */
export class WalCheckpointThread implements WalCheckpoints {
  private readonly thread: BackgroundThread<ToWalCheckpointWorker, FromWalCheckpointWorker>;
  private scheduled: NodeJS.Timeout | undefined;

  /** `writer` is the connection the store commits on; `path` its file. */
  constructor(
    path: string,
    synchronous: SqliteSynchronous,
    private readonly writer: Database.Database,
    private readonly logger: Pick<Logger, 'error'>,
    script: URL = WORKER_SCRIPT,
  ) {
    const workerData: WalCheckpointWorkerData = { path, synchronous };
    this.thread = new BackgroundThread('the WAL checkpoint thread', script, workerData, logger, {
      couldNotStart: (error) =>
        this.logger.error({ err: error }, "the WAL checkpoint thread could not start; the event log's commits copy its WAL back themselves"),
      exitedUnexpectedly: (code) => {
        clearTimeout(this.scheduled);
        // The writer's own checkpoints keep the WAL in bounds from here on.
        if (this.writer.open) checkpointOnCommitEvery(this.writer, WAL_BYTES_BETWEEN_CHECKPOINTS);
        this.logger.error(`the WAL checkpoint thread exited unexpectedly (code ${code}); the event log's commits copy its WAL back themselves`);
      },
    }, { threadName: WAL_CHECKPOINT_THREAD_NAME });
  }

  committed(): void {
    if (this.scheduled) return;
    if (this.thread.startable) {
      if (!this.thread.start()) return;
      checkpointOnCommitEvery(this.writer, WAL_BYTES_BEFORE_THE_WRITER_STEPS_IN);
    }
    if (!this.thread.running) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.thread.tell({ kind: 'checkpoint' });
    }, CHECKPOINT_DELAY_MS).unref();
  }

  /** Calls `listener` after each checkpoint the thread runs, with SQLite's answer; returns how to stop. */
  onCheckpointed(listener: (said: FromWalCheckpointWorker) => void): () => void {
    return this.thread.onMessage(listener);
  }

  /**
   * No checkpoint is asked for after this; the thread closes its connection and ends. What
   * the WAL still holds is copied back by whichever connection to the file closes last.
   */
  stop(): Promise<void> {
    clearTimeout(this.scheduled);
    this.scheduled = undefined;
    return this.thread.stop();
  }
}
