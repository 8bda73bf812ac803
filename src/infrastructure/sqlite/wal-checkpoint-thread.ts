import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/app-config.js';
import { IN_MEMORY, type SqliteSynchronous, WAL_BYTES_BETWEEN_CHECKPOINTS, checkpointOnCommitEvery } from './open-sqlite-database.js';
import type { FromWalCheckpointWorker, ToWalCheckpointWorker, WalCheckpointWorkerData } from './wal-checkpoint-thread-messages.js';

const WORKER_SCRIPT = new URL('./wal-checkpoint-worker.js', import.meta.url);

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
  return config.EVENT_STORE === 'sqlite' && config.SQLITE_CHECKPOINTS === 'thread' && config.SQLITE_EVENTS_PATH !== IN_MEMORY;
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
 * and its longest stalls: 0.13–0.37 s) or of a payment's request. Here a thread of its own, on its own
 * connection, copies the WAL back CHECKPOINT_DELAY_MS after commits, while the writer goes
 * on committing (WAL mode lets a checkpoint run beside the writer and readers). Durability
 * is unchanged: every commit still syncs the WAL before it is answered, and the checkpoint
 * syncs the file before the WAL is reused.
 */
export class WalCheckpointThread implements WalCheckpoints {
  private requested = false;
  private stopped: Promise<void> | undefined;
  private exited = false;
  private checkpointListeners: ((said: FromWalCheckpointWorker) => void)[] = [];

  private constructor(
    private readonly worker: Worker,
    private readonly writer: Database.Database,
    private readonly logger: Pick<Logger, 'error'>,
  ) {
    worker.on('message', (said: FromWalCheckpointWorker) => {
      for (const listener of this.checkpointListeners) listener(said);
    });
    worker.on('error', (error) => this.logger.error({ err: error }, 'the WAL checkpoint thread failed'));
    worker.once('exit', (code) => {
      this.exited = true;
      if (this.stopped) return;
      // The writer's own checkpoints keep the WAL in bounds from here on.
      if (this.writer.open) checkpointOnCommitEvery(this.writer, WAL_BYTES_BETWEEN_CHECKPOINTS);
      this.logger.error(`the WAL checkpoint thread exited unexpectedly (code ${code}); the event log's commits copy its WAL back themselves`);
    });
  }

  /** `writer` is the connection the store commits on; `path` its file. */
  static start(
    path: string,
    synchronous: SqliteSynchronous,
    writer: Database.Database,
    logger: Pick<Logger, 'error'>,
    script: URL = WORKER_SCRIPT,
  ): WalCheckpointThread {
    checkpointOnCommitEvery(writer, WAL_BYTES_BEFORE_THE_WRITER_STEPS_IN);
    const workerData: WalCheckpointWorkerData = { path, synchronous };
    // unref: a process whose work is done ends without stopping it first.
    const worker = new Worker(script, { workerData });
    worker.unref();
    return new WalCheckpointThread(worker, writer, logger);
  }

  committed(): void {
    if (this.requested || this.stopped || this.exited) return;
    this.requested = true;
    setTimeout(() => {
      this.requested = false;
      this.tell({ kind: 'checkpoint' });
    }, CHECKPOINT_DELAY_MS).unref();
  }

  /** Calls `listener` after each checkpoint the thread runs, with SQLite's answer; returns how to stop. */
  onCheckpointed(listener: (said: FromWalCheckpointWorker) => void): () => void {
    this.checkpointListeners.push(listener);
    return () => (this.checkpointListeners = this.checkpointListeners.filter((l) => l !== listener));
  }

  /** Closes the thread's connection and waits for it to end; the writer's closing copies back what is left. */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((done) => {
      if (this.exited) return done();
      // Held again while it stops: otherwise a process with nothing else to do would end
      // before the store that waits for it here has closed.
      this.worker.ref();
      this.worker.once('exit', () => done());
      this.tell({ kind: 'stop' });
    });
    return this.stopped;
  }

  private tell(message: ToWalCheckpointWorker): void {
    if (!this.exited) this.worker.postMessage(message);
  }
}
