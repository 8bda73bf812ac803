import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type EventStore, type GlobalPosition, START_OF_LOG, type StoredEvent } from '../../kernel/event-store/event-store.port.js';
import { readLogInPages } from '../../kernel/event-store/read-log-in-pages.js';

/** Told after each page how far a report has read of the log it rests on. */
export type ReportProgress = (position: number, lastPosition: number) => void;

const PAGE_SIZE = 2_000;

/**
 * Hands every event of the log up to `lastPosition` (the close of business a report rests
 * on) to `visit`, in order, a page at a time, telling `onProgress` after each page. A report
 * over a large log reads for seconds: requests and projections run between pages.
 */
export async function readLogThrough(
  events: EventStore,
  lastPosition: GlobalPosition,
  visit: (event: StoredEvent) => void,
  onProgress?: ReportProgress,
): Promise<void> {
  // A long read: where the store can, the next page is read while this one is visited.
  for await (const page of readLogInPages(events, START_OF_LOG, lastPosition, PAGE_SIZE)) {
    for (const stored of page) visit(stored);
    onProgress?.(page.at(-1)!.position, lastPosition);
    await yieldToEventLoop();
  }
}
