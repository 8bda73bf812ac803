import type { Logger } from 'pino';
import type { StreamReadAhead } from '../../kernel/event-store/event-store.port.js';
import { BackgroundThread } from '../background-thread.js';
import type { FromStreamReadAheadWorker, StreamReadAheadWorkerData, StreamReadRows, ToStreamReadAheadWorker } from './stream-read-ahead-thread-messages.js';

const WORKER_SCRIPT = new URL('./stream-read-ahead-worker.js', import.meta.url);
/** The thread's name as the operating system shows it (BackgroundThread). */
export const STREAM_READ_AHEAD_THREAD_NAME = 'stream-ahead';
const MAX_INT32 = 2 ** 31 - 1;

/** Where an event store passes on its read-ahead hints (EventStore.readAhead), and takes back what was read (EventStore.takeReadAhead). */
export interface StreamReadAheads {
  readAhead(streams: readonly StreamReadAhead[]): void;
  /** The stream's rows as read on a hint naming this snapshot schema, once; undefined where none are here. */
  take(stream: string, snapshotSchema: string | undefined): StreamReadRows | undefined;
  /** Lets go of the stream's rows, if any are here, without handing them over. */
  drop(stream: string): void;
  stop(): Promise<void>;
}

/**
 * Reads streams a page of commands before the store's thread loads them, on a connection of
 * its own, and hands the rows over: the load takes them (take) instead of reading the
 * snapshot, the events past it and the command's first event id itself. Close of business
 * loads its 100,000 loans of a million in loan id order, i.e. in no order within the file:
 * each load that found a page only on the disk waited for it on the thread that decides and
 * commits (a million-loan close read 0.5–1 GB so, where the machine had paged out what went
 * untouched for a minute; with this thread reading ahead, 60 MiB), and those reads took about
 * a fifth of that thread's time on a core even with every page in memory.
 *
 * What is handed over is the stream as it stood when read: a command decided on it is
 * appended at that revision, and refused if the stream moved since (the loop then loads and
 * decides it again). A request two behind the newest is dropped where it stands, and what
 * was read for it and not taken is let go: the store's thread has loaded those streams by
 * then. Should the thread fail to start or end, the store reads on without it.
 */
export class StreamReadAheadThread implements StreamReadAheads {
  private readonly thread: BackgroundThread<ToStreamReadAheadWorker, FromStreamReadAheadWorker>;
  private readonly newestRequest = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private requests = 0;
  private failureTold = false;
  /** What was read and not taken yet, by stream, with the request it was read for. */
  private readonly readRows = new Map<string, { readonly request: number; readonly rows: StreamReadRows }>();
  /** The streams each request still has in readRows, to let go of them once it is two behind. */
  private readonly streamsOfRequest = new Map<number, string[]>();

  constructor(path: string, logger: Pick<Logger, 'error' | 'warn'>, script: URL = WORKER_SCRIPT) {
    const workerData: StreamReadAheadWorkerData = { path, newestRequest: this.newestRequest.buffer as SharedArrayBuffer };
    // Warnings, not errors: without the thread nothing is lost, loads only wait for the disk.
    this.thread = new BackgroundThread('the stream read-ahead thread', script, workerData, logger, {
      couldNotStart: (error) => logger.warn({ err: error }, 'the stream read-ahead thread could not start; the event log reads each stream only when it is loaded'),
      exitedUnexpectedly: (code) =>
        logger.warn(`the stream read-ahead thread exited unexpectedly (code ${code}); the event log reads each stream only when it is loaded`),
      failed: (error) => logger.warn({ err: error }, 'the stream read-ahead thread failed'),
    }, { threadName: STREAM_READ_AHEAD_THREAD_NAME });
    this.thread.onMessage((said) => {
      if (said.kind === 'streams') return this.keep(said.request, said.streams);
      const { failure } = said;
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
    this.letGoOf(request - 2);
    // Named again: what an earlier request read of them is older than what this one will.
    for (const { stream } of streams) this.readRows.delete(stream);
    this.thread.tell({ kind: 'read', request, streams });
  }

  take(stream: string, snapshotSchema: string | undefined): StreamReadRows | undefined {
    const kept = this.readRows.get(stream);
    if (!kept) return undefined;
    this.readRows.delete(stream);
    return kept.rows.snapshotSchema === snapshotSchema ? kept.rows : undefined;
  }

  drop(stream: string): void {
    this.readRows.delete(stream);
  }

  private keep(request: number, read: readonly StreamReadRows[]): void {
    // Sent before the thread saw that its request was two behind: the streams are loaded already.
    if (request <= this.requests - 2 || !this.thread.running) return;
    let streams = this.streamsOfRequest.get(request);
    if (!streams) this.streamsOfRequest.set(request, (streams = []));
    for (const rows of read) {
      this.readRows.set(rows.stream, { request, rows });
      streams.push(rows.stream);
    }
  }

  /** Lets go of what was read for requests up to `request` and not taken. */
  private letGoOf(request: number): void {
    for (const [earlier, streams] of this.streamsOfRequest) {
      if (earlier > request) continue;
      // Unless a later request read the stream again.
      for (const stream of streams) if (this.readRows.get(stream)?.request === earlier) this.readRows.delete(stream);
      this.streamsOfRequest.delete(earlier);
    }
  }

  /** Calls `listener` with what the thread tells: the streams it read, a few at a time, and each request done; returns how to stop. */
  onRead(listener: (said: FromStreamReadAheadWorker) => void): () => void {
    return this.thread.onMessage(listener);
  }

  stop(): Promise<void> {
    // Every request still queued or being read is then two behind: `stop` does not wait for their reads.
    Atomics.store(this.newestRequest, 0, MAX_INT32);
    this.readRows.clear();
    this.streamsOfRequest.clear();
    return this.thread.stop();
  }
}
