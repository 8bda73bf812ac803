import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

/** What a background thread is asked to do; `stop` ends it. */
export type ToBackgroundThread = { readonly kind: string };

/**
 * What BackgroundThread.stop tells every background thread: close its connection and end.
 * Each thread's messages include it, so that its worker handles it.
 */
export type StopBackgroundThread = { readonly kind: 'stop' };
const STOP: StopBackgroundThread = { kind: 'stop' };

/** What becomes of a background thread that did not end because it was asked to. */
export interface BackgroundThreadEnded {
  /** No thread could be made (`new Worker` threw): `error` says why. A script that fails to load ends the thread instead. */
  couldNotStart(error: unknown): void;
  /** It ended by itself, with this exit code (a script that failed to load or threw included). */
  exitedUnexpectedly(code: number): void;
  /** It threw, and is about to end: by default logged as an error. */
  failed?(error: unknown): void;
}

/**
 * A worker thread of the engine's own (the WAL checkpoint thread, the read-ahead threads):
 * started when first needed, so that a process that never needs it (most CLI
 * commands) has none; told what to do by message; asked to stop when its owner closes. A
 * thread that cannot start, or ends by itself, is not restarted: its owner is told and goes
 * on without it. It never keeps the process alive by itself, unless its owner awaits what it
 * sends (`keepsProcessAlive`: a process waiting only for a thread's answer would otherwise end).
 */
export class BackgroundThread<TTo extends ToBackgroundThread, TFrom> {
  private worker: Worker | undefined;
  private stopped: Promise<void> | undefined;
  private exited = false;
  private listeners: ((said: TFrom) => void)[] = [];

  /**
   * `name` as the logs call it ("the WAL checkpoint thread"); `options.threadName` as the
   * operating system shows the thread (ps -L, top -H, /proc/<pid>/task/<tid>/comm; Linux keeps
   * 15 characters), so that whoever watches a busy engine sees which thread is busy.
   */
  constructor(
    private readonly name: string,
    private readonly script: URL,
    private readonly workerData: unknown,
    private readonly logger: Pick<Logger, 'error'>,
    private readonly ended: BackgroundThreadEnded,
    private readonly options: { readonly threadName: string; readonly keepsProcessAlive?: boolean },
  ) {}

  /** Whether it runs and takes messages: neither stopped, nor ended, nor unable to start. */
  get running(): boolean {
    return this.worker !== undefined && !this.exited && this.stopped === undefined;
  }

  /** Whether it may still be started: never started, nor stopped. */
  get startable(): boolean {
    return this.worker === undefined && !this.exited && this.stopped === undefined;
  }

  /** Starts it; false (and `couldNotStart` told) when no thread could be made. */
  start(): boolean {
    if (!this.startable) return this.running;
    let worker: Worker;
    try {
      worker = new Worker(this.script, { workerData: this.workerData, name: this.options.threadName });
    } catch (error) {
      this.exited = true;
      this.ended.couldNotStart(error);
      return false;
    }
    worker.on('message', (said: TFrom) => {
      for (const listener of this.listeners) listener(said);
    });
    worker.on('error', (error) => (this.ended.failed ? this.ended.failed(error) : this.logger.error({ err: error }, `${this.name} failed`)));
    worker.once('exit', (code) => {
      this.exited = true;
      if (!this.stopped) this.ended.exitedUnexpectedly(code);
    });
    // unref: a process whose work is done ends without stopping it first. After the listeners:
    // a 'message' listener added later holds the process again.
    if (!this.options.keepsProcessAlive) worker.unref();
    this.worker = worker;
    return true;
  }

  /** Sends a message if it runs; nothing otherwise. */
  tell(message: TTo): void {
    if (this.running) this.worker!.postMessage(message);
  }

  /** Calls `listener` with each message it sends; returns how to stop. */
  onMessage(listener: (said: TFrom) => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  /** Nothing is sent to it after this; it is told `stop` and awaited until it has ended. */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((done) => {
      const worker = this.worker;
      if (!worker || this.exited) return done();
      // Held again while it stops: otherwise a process with nothing else to do would end
      // before the owner that waits for it here has closed.
      worker.ref();
      worker.once('exit', () => done());
      worker.postMessage(STOP);
    });
    return this.stopped;
  }
}
