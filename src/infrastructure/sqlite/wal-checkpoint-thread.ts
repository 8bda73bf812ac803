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
  private worker: Worker | undefined;
  private scheduled: NodeJS.Timeout | undefined;
  private stopped: Promise<void> | undefined;
  private exited = false;
  private checkpointListeners: ((said: FromWalCheckpointWorker) => void)[] = [];

  /** `writer` is the connection the store commits on; `path` its file. */
  constructor(
    private readonly path: string,
    private readonly synchronous: SqliteSynchronous,
    private readonly writer: Database.Database,
    private readonly logger: Pick<Logger, 'error'>,
    private readonly script: URL = WORKER_SCRIPT,
  ) {}

  committed(): void {
    if (this.scheduled || this.stopped || this.exited) return;
    if (!this.worker && !this.startWorker()) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.tell({ kind: 'checkpoint' });
    }, CHECKPOINT_DELAY_MS).unref();
  }

  /** Calls `listener` after each checkpoint the thread runs, with SQLite's answer; returns how to stop. */
  onCheckpointed(listener: (said: FromWalCheckpointWorker) => void): () => void {
    this.checkpointListeners.push(listener);
    return () => (this.checkpointListeners = this.checkpointListeners.filter((l) => l !== listener));
  }

  /**
   * No checkpoint is asked for after this; the thread closes its connection and ends. What
   * the WAL still holds is copied back by whichever connection to the file closes last.
   */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((done) => {
      clearTimeout(this.scheduled);
      this.scheduled = undefined;
      const worker = this.worker;
      if (!worker || this.exited) return done();
      // Held again while it stops: otherwise a process with nothing else to do would end
      // before the store that waits for it here has closed.
      worker.ref();
      worker.once('exit', () => done());
      worker.postMessage({ kind: 'stop' } satisfies ToWalCheckpointWorker);
    });
    return this.stopped;
  }

  /** False, with the writer left checkpointing on commit, when the thread cannot be started. */
  private startWorker(): boolean {
    const workerData: WalCheckpointWorkerData = { path: this.path, synchronous: this.synchronous };
    let worker: Worker;
    try {
      worker = new Worker(this.script, { workerData });
    } catch (error) {
      this.exited = true;
      this.logger.error({ err: error }, "the WAL checkpoint thread could not start; the event log's commits copy its WAL back themselves");
      return false;
    }
    // unref: a process whose work is done ends without stopping it first.
    worker.unref();
    worker.on('message', (said: FromWalCheckpointWorker) => {
      for (const listener of this.checkpointListeners) listener(said);
    });
    worker.on('error', (error) => this.logger.error({ err: error }, 'the WAL checkpoint thread failed'));
    worker.once('exit', (code) => {
      this.exited = true;
      clearTimeout(this.scheduled);
      if (this.stopped) return;
      // The writer's own checkpoints keep the WAL in bounds from here on.
      if (this.writer.open) checkpointOnCommitEvery(this.writer, WAL_BYTES_BETWEEN_CHECKPOINTS);
      this.logger.error(`the WAL checkpoint thread exited unexpectedly (code ${code}); the event log's commits copy its WAL back themselves`);
    });
    this.worker = worker;
    checkpointOnCommitEvery(this.writer, WAL_BYTES_BEFORE_THE_WRITER_STEPS_IN);
    return true;
  }

  private tell(message: ToWalCheckpointWorker): void {
    if (this.worker && !this.exited && !this.stopped) this.worker.postMessage(message);
  }
}
