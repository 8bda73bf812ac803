import type { GlobalPosition } from '../../kernel/event-store/event-store.port.js';
import type { EventRow } from './sqlite-event-store.queries.js';

/** Pages kept: the projections of one thread follow the log together, a page or two apart. */
const PAGES_KEPT = 8;
/**
 * Larger pages are read, not kept: the projections read at most 1,000 rows at a time, and a
 * long read of 5,000-row pages (the dashboard's history, an export) reads each page once and
 * would only push theirs out.
 */
const LARGEST_PAGE_KEPT = 1_000;

/**
 * The last pages of the log the store read for readAll, kept so that the next reader asking
 * for the same page takes the rows rather than reading them again (issue 23). The projections
 * of a thread each follow the log from their own checkpoint, usually the same one: five read
 * every page five times, and turning rows into strings was most of what following the log
 * cost them (bench:store's read models: ~20 of ~35 µs an event).
 *
 * A page is kept as the rows SQLite gave, values only, so each reader still gets events of its
 * own. The log only grows at its end, under positions larger than any committed, so a full
 * page is the same whenever it is read again; a page that ended at the head of the log is
 * taken only while the head is where it was (else it lacks what was appended since).
 */
export class RecentLogPages {
  private readonly pages = new Map<string, EventRow[]>();

  constructor(private readonly pagesKept = PAGES_KEPT) {}

  /**
   * The rows after `after`, at most `limit`: kept ones where they are still the whole answer,
   * else `read` and kept. `head` is the log's last position now, asked only of a page that
   * ended at the head.
   */
  rowsAfter(after: GlobalPosition, limit: number, read: (after: GlobalPosition, limit: number) => EventRow[], head: () => GlobalPosition): EventRow[] {
    if (limit > LARGEST_PAGE_KEPT) return read(after, limit);
    const key = `${after}:${limit}`;
    const kept = this.pages.get(key);
    const stillWhole = kept !== undefined && (kept.length === limit || head() === (kept.at(-1)?.[0] ?? after));
    const rows = stillWhole ? kept : read(after, limit);
    // The page just asked for goes last: the least recently asked for is the first to go.
    this.pages.delete(key);
    this.pages.set(key, rows);
    if (this.pages.size > this.pagesKept) this.pages.delete(this.pages.keys().next().value!);
    return rows;
  }
}
