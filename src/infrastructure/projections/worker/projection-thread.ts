import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { AppConfig } from '../../../config/app-config.js';
import { IN_MEMORY } from '../../sqlite/open-sqlite-database.js';
import type { EventStore, GlobalPosition } from '../../../kernel/event-store/event-store.port.js';
import type { ProjectionStatus } from '../runner/projection-status.js';
import type { FromProjectionWorker, ToProjectionWorker } from './projection-thread-messages.js';

const WORKER_SCRIPT = new URL('../../../projection-worker.js', import.meta.url);
/** The thread's name as the operating system shows it (ps -L, top -H; Linux keeps 15 characters). */
export const PROJECTION_THREAD_NAME = 'projections';
const APPEND_NOTICE_INTERVAL_MS = 20;

/** Whether this process's projections run in a worker thread: asked for, and every store reachable from one. */
export function projectionsRunInWorker(config: AppConfig): boolean {
  if (config.PROJECTIONS_THREAD !== 'worker') return false;
  const eventsInMemory = config.EVENT_STORE === 'sqlite' && config.SQLITE_EVENTS_PATH === IN_MEMORY;
  const readModelsInMemory = config.READ_STORE === 'sqlite' && config.SQLITE_READ_MODELS_PATH === IN_MEMORY;
  return !eventsInMemory && !readModelsInMemory;
}

/**
 * The request thread's handle on the projection worker (projection-worker.ts): starts it,
 * passes on at once what the store tells of appends (the embedded store has no push of its
 * own across threads: the worker's connection would otherwise wait for its next poll),
 * keeps the statuses it reports, and stops it.
 */
export class ProjectionThread {
  private readonly statuses = new Map<string, ProjectionStatus>();
  /** Why the worker stopped running projections on its own, if it did. */
  private failedBecause: string | undefined;
  private stopped: Promise<void> | undefined;
  private exited = false;
  /** The newest position told and not yet passed on; undefined when no notice is pending. */
  private noticePending: GlobalPosition | undefined;
  private readonly stopAppendNotices: () => void;

  private constructor(
    private readonly worker: Worker,
    events: EventStore,
    private readonly logger: Pick<Logger, 'error'>,
  ) {
    this.stopAppendNotices = events.onAppended((lastPosition) => this.noticeAppend(lastPosition));
    worker.on('message', (message: FromProjectionWorker) => {
      if (message.kind === 'statuses') {
        // Every projection the worker runs, each time: one it let go of (a lost lease) drops out.
        this.statuses.clear();
        for (const status of message.statuses) this.statuses.set(status.name, status);
      }
      if (message.kind === 'failed') this.fail(`the projection worker could not start: ${message.message}`);
    });
    worker.once('exit', (code) => {
      this.exited = true;
      this.stopAppendNotices();
      if (!this.stopped) this.fail(`the projection worker exited unexpectedly (code ${code})`);
    });
    worker.on('error', (error) => this.logger.error({ err: error }, 'the projection worker failed'));
  }

  /**
   * Resolves once the worker has started its projections, as the app would on its own
   * thread before it listens; rejects, stopping the app's start, when it cannot.
   */
  static async start(
    config: AppConfig,
    events: EventStore,
    logger: Pick<Logger, 'error'>,
    // The settings travel as plain data; the worker builds its own stores and logger from them.
    spawn: () => Worker = () => new Worker(WORKER_SCRIPT, { workerData: { ...config }, name: PROJECTION_THREAD_NAME }),
  ): Promise<ProjectionThread> {
    const worker = spawn();
    const thread = new ProjectionThread(worker, events, logger);
    await new Promise<void>((started, failed) => {
      const onMessage = (message: FromProjectionWorker) => {
        if (message.kind === 'started') settle(started);
        if (message.kind === 'failed') settle(() => failed(new Error(`the projection worker could not start: ${message.message}`)));
      };
      const onExit = (code: number) => settle(() => failed(new Error(`the projection worker exited while starting (code ${code})`)));
      const settle = (outcome: () => void) => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        outcome();
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
    });
    return thread;
  }

  /** The status the worker last reported; undefined for a projection it does not run (yet). */
  statusOf(name: string): ProjectionStatus | undefined {
    return this.statuses.get(name);
  }

  /** Set once the worker can no longer run projections: every projection here counts as failed. */
  get failure(): string | undefined {
    return this.failedBecause;
  }

  /** Lets the batches in flight commit and the worker close its stores. */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((done) => {
      this.stopAppendNotices();
      if (this.exited) return done();
      this.worker.once('exit', () => done());
      this.tell({ kind: 'stop' });
    });
    return this.stopped;
  }

  /**
   * At most one notice every APPEND_NOTICE_INTERVAL_MS: under a stream of commands the
   * projections then take the log in batches of that many milliseconds' worth of events,
   * each batch paying once for its transaction and checkpoint, instead of a few events at
   * a time; a lone append is projected within that interval.
   */
  private noticeAppend(lastPosition: GlobalPosition): void {
    const pending = this.noticePending;
    this.noticePending = Math.max(pending ?? lastPosition, lastPosition);
    if (pending !== undefined) return;
    setTimeout(() => {
      const told = this.noticePending!;
      this.noticePending = undefined;
      this.tell({ kind: 'appended', lastPosition: told });
    }, APPEND_NOTICE_INTERVAL_MS).unref();
  }

  private tell(message: ToProjectionWorker): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  private fail(reason: string): void {
    this.failedBecause ??= reason;
    this.logger.error(reason);
  }
}
