import type { Logger } from 'pino';
import type { StreamReadAhead } from '../../kernel/event-store/event-store.port.js';
import { BackgroundThread } from '../background-thread.js';
import type { FromStreamReadAheadWorker, StreamReadAheadWorkerData, ToStreamReadAheadWorker } from './stream-read-ahead-thread-messages.js';

const WORKER_SCRIPT = new URL('./stream-read-ahead-worker.js', import.meta.url);
/** The thread's name as the operating system shows it (BackgroundThread). */
export const STREAM_READ_AHEAD_THREAD_NAME = 'stream-ahead';
const MAX_INT32 = 2 ** 31 - 1;

/** Where an event store passes on its read-ahead hints (EventStore.readAhead). */
export interface StreamReadAheads {
  readAhead(streams: readonly StreamReadAhead[]): void;
  stop(): Promise<void>;
}

/**
 * Reads streams a page of commands before the store's thread loads them, on a connection of
 * its own, so that the pages those loads pass through (a stream's row, its snapshot, its
 * latest events, the event-id index where the command's first id would be) are in the page
 * cache when the store's thread asks. Close of business loads its 100,000 loans of a million
 * in loan id order, i.e. in no order within the file: each load that found a page only on the
 * disk waited for it on the thread that decides and commits (a million-loan close read
 * 0.5–1 GB so, where the machine had paged out what went untouched for a minute; with this
 * thread, 60 MiB). The reads here wait instead, beside it.
 *
 * Only a hint: it changes no answer, and every read is made again by the store's thread.
 * A request two behind the newest is dropped where it stands: the store's thread has loaded
 * those streams by then. Should the thread fail to start or end, the store reads on without it.
 */
export class StreamReadAheadThread implements StreamReadAheads {
  private readonly thread: BackgroundThread<ToStreamReadAheadWorker, FromStreamReadAheadWorker>;
  private readonly newestRequest = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private requests = 0;
  private failureTold = false;

  constructor(path: string, logger: Pick<Logger, 'error' | 'warn'>, script: URL = WORKER_SCRIPT) {
    const workerData: StreamReadAheadWorkerData = { path, newestRequest: this.newestRequest.buffer as SharedArrayBuffer };
    // Warnings, not errors: without the thread nothing is lost, loads only wait for the disk.
    this.thread = new BackgroundThread('the stream read-ahead thread', script, workerData, logger, {
      couldNotStart: (error) => logger.warn({ err: error }, 'the stream read-ahead thread could not start; the event log reads each stream only when it is loaded'),
      exitedUnexpectedly: (code) =>
        logger.warn(`the stream read-ahead thread exited unexpectedly (code ${code}); the event log reads each stream only when it is loaded`),
      failed: (error) => logger.warn({ err: error }, 'the stream read-ahead thread failed'),
    }, { threadName: STREAM_READ_AHEAD_THREAD_NAME });
    this.thread.onMessage(({ failure }) => {
      // Once: a read that fails may well fail for every request after it.
      if (failure === undefined || this.failureTold) return;
      this.failureTold = true;
      logger.warn(`the stream read-ahead thread could not read ahead (${failure}); it goes on with the next page`);
    });
  }

  readAhead(streams: readonly StreamReadAhead[]): void {
    if (streams.length === 0) return;
    if (this.thread.startable) this.thread.start();
    if (!this.thread.running) return;
    const request = ++this.requests;
    Atomics.store(this.newestRequest, 0, request);
    this.thread.tell({ kind: 'read', request, streams });
  }

  /** Calls `listener` when the thread has done a request; returns how to stop. */
  onRead(listener: (said: FromStreamReadAheadWorker) => void): () => void {
    return this.thread.onMessage(listener);
  }

  stop(): Promise<void> {
    // Every request still queued or being read is then two behind: `stop` does not wait for their reads.
    Atomics.store(this.newestRequest, 0, MAX_INT32);
    return this.thread.stop();
  }
}
