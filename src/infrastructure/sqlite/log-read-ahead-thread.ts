import type { Logger } from 'pino';
import type { GlobalPosition } from '../../kernel/event-store/event-store.port.js';
import { BackgroundThread } from '../background-thread.js';
import { type ReadRowsAfter, logPages } from './log-pages.js';
import type { FromLogReadAheadWorker, LogReadAheadWorkerData, ToLogReadAheadWorker } from './log-read-ahead-thread-messages.js';
import type { EventRow } from './sqlite-event-store.queries.js';

const WORKER_SCRIPT = new URL('./log-read-ahead-worker.js', import.meta.url);
/** The thread's name as the operating system shows it (BackgroundThread). */
export const LOG_READ_AHEAD_THREAD_NAME = 'log-read-ahead';
/** Pages asked for ahead of the one the reader works on: one arrived and waiting, one being read. */
const PAGES_AHEAD = 2;
/**
 * Reads spanning fewer positions than this are read on the caller's thread: a thread takes
 * 35-70 ms to start and send its first page, about what it saves over 50,000 events (a full
 * rebuild of 57,000 events ran at 47% of a raw read without a thread, 41% with one).
 */
const SHORTEST_READ_AHEAD = 100_000;

/** Where the embedded store's long reads of the log (SqliteEventStore.readLogAhead) are read. */
export interface LogReadAheads {
  /** The rows after `after` up to `until`, as logPages pages them; `readHere` reads on the caller's thread. */
  pages(after: GlobalPosition, until: GlobalPosition, pageSize: number, readHere: ReadRowsAfter): AsyncGenerator<EventRow[]>;
}

/**
 * Reads a long read of the log (a rebuild's one pass over it, a report's) a page ahead of the
 * thread that uses it, on a thread and connection of its own, started for the read: that
 * thread then only decodes what the other has read. Reading the log's rows was about a third
 * of a raw read + decode of a million events (1.0–1.1 s of 3.6–4.1 s here), the rest being
 * the data's JSON; a page travels between threads for less than it costs to read.
 *
 * One such thread at a time for a store: a read that starts while another is read ahead (two
 * reports at once), or that is short, is read on the caller's thread. Only where the pages
 * are read changes, not what they hold. Should the thread fail to start, fail a read or end,
 * the rest of the log is read on the caller's thread, from the first position it has not
 * had, with a warning.
 */
export class LogReadAheadThread implements LogReadAheads {
  private readingAhead = false;

  constructor(
    private readonly path: string,
    private readonly logger: Pick<Logger, 'error' | 'warn'>,
    private readonly script: URL = WORKER_SCRIPT,
    private readonly shortestReadAhead = SHORTEST_READ_AHEAD,
  ) {}

  async *pages(after: GlobalPosition, until: GlobalPosition, pageSize: number, readHere: ReadRowsAfter): AsyncGenerator<EventRow[]> {
    // Nothing to read (a rebuild over an empty log), too little for a thread to pay for its start, or a thread reading already.
    if (until - after < Math.max(1, this.shortestReadAhead) || this.readingAhead) {
      yield* logPages(readHere, after, until, pageSize);
      return;
    }
    this.readingAhead = true;
    const arrived: EventRow[][] = [];
    let lostBecause: string | undefined;
    let wake: (() => void) | undefined;
    const lose = (reason: string) => {
      lostBecause ??= reason;
      wake?.();
    };
    const workerData: LogReadAheadWorkerData = { path: this.path, after, until, pageSize };
    const thread = new BackgroundThread<ToLogReadAheadWorker, FromLogReadAheadWorker>(
      'a log read-ahead thread',
      this.script,
      workerData,
      this.logger,
      {
        couldNotStart: (error) => lose(`it could not start: ${messageOf(error)}`),
        exitedUnexpectedly: (code) => lose(`it exited unexpectedly (code ${code})`),
        failed: (error) => lose(`it failed: ${messageOf(error)}`),
      },
      // The reader awaits its pages: a process with nothing else to do must not end meanwhile.
      { threadName: LOG_READ_AHEAD_THREAD_NAME, keepsProcessAlive: true },
    );
    const stopListening = thread.onMessage((said) => {
      if (said.kind === 'failed') return lose(`a read failed: ${said.message}`);
      arrived.push(said.rows);
      wake?.();
    });
    let position = after;
    try {
      if (thread.start()) {
        for (let asked = 0; asked < PAGES_AHEAD; asked++) thread.tell({ kind: 'read' });
        for (;;) {
          while (arrived.length === 0 && lostBecause === undefined) await new Promise<void>((resolve) => (wake = resolve));
          // Pages that arrived before the thread was lost are kept.
          const rows = arrived.shift();
          if (rows === undefined) break;
          if (rows.length === 0) return;
          thread.tell({ kind: 'read' });
          position = rows.at(-1)![0];
          yield rows;
        }
      }
    } finally {
      stopListening();
      await thread.stop();
      this.readingAhead = false;
    }
    this.logger.warn(`the log read-ahead thread stopped (${lostBecause}); the log after position ${position} is read on the thread that asked for it`);
    yield* logPages(readHere, position, until, pageSize);
  }
}

/** An error's message: one thrown on the thread arrives as an object of this realm, not always an Error of the caller's (a test's sandbox). */
const messageOf = (error: unknown) => (typeof (error as Error | undefined)?.message === 'string' ? (error as Error).message : String(error));
