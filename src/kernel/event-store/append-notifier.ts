import { type AppendedListener, type GlobalPosition, START_OF_LOG } from './event-store.port.js';

export interface AppendNotifierOptions {
  /**
   * Started when the first listener arrives, stopped (by the function it returns) when the
   * last one leaves: how an adapter hears of other writers' appends costs nothing while
   * nobody listens.
   */
  readonly whileListened?: () => () => void;
}

/**
 * Wakes readers that caught up with the log when something new was appended, and tells the
 * store's `onAppended` listeners. A timeout bounds each wait so that appends made by another
 * process sharing the same store (the CLI, a second app instance) are noticed too.
 */
export class AppendNotifier {
  private waiters = new Set<() => void>();
  private readonly listeners = new Set<AppendedListener>();
  private stopWatching: (() => void) | undefined;
  /** The newest position told: listeners hear of the log only moving forward. */
  private told: GlobalPosition = START_OF_LOG;

  constructor(private readonly options: AppendNotifierOptions = {}) {}

  /** The log is durable and readable up to `lastPosition`: wake the readers and tell the listeners (if it moved on). */
  appended(lastPosition: GlobalPosition): void {
    this.wake();
    if (lastPosition <= this.told) return;
    this.told = lastPosition;
    for (const listener of [...this.listeners]) {
      try {
        listener(lastPosition);
      } catch {
        // A listener is only a wake-up call: its failure must not withhold the append's answer from its caller, nor the news from the other listeners.
      }
    }
  }

  /** Raises the position already known without telling anyone (where a watch starts from). */
  seen(position: GlobalPosition): void {
    if (position > this.told) this.told = position;
  }

  get lastTold(): GlobalPosition {
    return this.told;
  }

  /** Wakes the waiting readers only: the store closes, or another thread said it appended to the same log. */
  wake(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  /** Calls `listener` after every append until the returned function is called. */
  onAppended(listener: AppendedListener): () => void {
    // Each call its own registration, so that one listener added twice is removed once per unsubscribe.
    const registration: AppendedListener = (position) => listener(position);
    this.listeners.add(registration);
    if (this.listeners.size === 1) this.stopWatching = this.options.whileListened?.();
    return () => {
      if (!this.listeners.delete(registration)) return;
      if (this.listeners.size === 0) this.stopAll();
    };
  }

  /** Drops every listener and stops watching (the store closes). */
  close(): void {
    this.listeners.clear();
    this.stopAll();
    this.wake();
  }

  private stopAll(): void {
    const stop = this.stopWatching;
    this.stopWatching = undefined;
    stop?.();
  }

  waitForAppend(timeoutMs: number): { promise: Promise<void>; cancel: () => void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      wake = done;
      waiters.add(done);
    });
    return { promise, cancel: wake };
  }
}
