import type { GlobalPosition } from '../../kernel/event-store/event-store.port.js';
import type { EventRow } from './sqlite-event-store.queries.js';

/** READ_ALL_SQL run: at most `limit` rows after a position, in order. */
export type ReadRowsAfter = (after: GlobalPosition, limit: number) => EventRow[];

/**
 * The log's rows after `after` up to `until` (inclusive), in order, at most `pageSize` a page;
 * none empty. The one paging of a long read, wherever it runs: on the caller's thread, or a
 * page ahead on the log read-ahead thread.
 */
export function* logPages(read: ReadRowsAfter, after: GlobalPosition, until: GlobalPosition, pageSize: number): Generator<EventRow[]> {
  let position = after;
  while (position < until) {
    const page = read(position, pageSize);
    const kept = page.length > 0 && page.at(-1)![0] > until ? page.filter((row) => row[0] <= until) : page;
    if (kept.length === 0) return;
    yield kept;
    position = kept.at(-1)![0];
  }
}
