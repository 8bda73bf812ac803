import type { AppendNotifier } from './append-notifier.js';
import type { EventSubscription, GlobalPosition, StoredEvent } from './event-store.port.js';

export interface CatchUpSource {
  readAll(afterPosition: GlobalPosition, limit: number): Promise<StoredEvent[]>;
  readonly appends: AppendNotifier;
}

export interface CatchUpOptions {
  pageSize: number;
  /** Longest wait before looking for appends made by other processes. */
  pollIntervalMs: number;
}

/** Reads the global log page by page from a position, then waits for appends and goes on. */
export class CatchUpSubscription implements EventSubscription {
  private closed = false;
  private cancelWait: (() => void) | undefined;

  constructor(
    private readonly source: CatchUpSource,
    private position: GlobalPosition,
    private readonly options: CatchUpOptions,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    while (!this.closed) {
      const page = await this.source.readAll(this.position, this.options.pageSize);
      for (const event of page) {
        if (this.closed) return;
        this.position = event.position;
        yield event;
      }
      if (page.length < this.options.pageSize && !this.closed) {
        const wait = this.source.appends.waitForAppend(this.options.pollIntervalMs);
        this.cancelWait = wait.cancel;
        await wait.promise;
        this.cancelWait = undefined;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelWait?.();
  }
}
