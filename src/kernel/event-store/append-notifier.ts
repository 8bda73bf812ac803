/**
 * Wakes readers that caught up with the log when something new was appended.
 * A timeout bounds each wait so that appends made by another process sharing the same
 * store (the CLI, a second app instance) are noticed too.
 */
export class AppendNotifier {
  private waiters = new Set<() => void>();
  private readonly listeners = new Set<() => void>();

  notify(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after every append until the returned function is called (to pass the news to another thread). */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
