import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type EventStore, type GlobalPosition, START_OF_LOG } from '../../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb } from '../contract/projection.js';
import { RowsInMemory } from './apply-row-families.js';
import { advanceCheckpoint } from './checkpoint-table.js';
import { readLogInPages } from '../../../kernel/event-store/read-log-in-pages.js';

export interface RebuildResult {
  /** The checkpoint the rebuilt rows stand at. */
  readonly position: GlobalPosition;
  /** Events read from the log. */
  readonly events: number;
  /** Rows written (a row written out twice, with rows held in memory bounded, counts twice). */
  readonly rows: number;
}

export interface RebuildOptions {
  /** The last position to apply; default: the head when the rebuild starts. */
  readonly until?: GlobalPosition;
  readonly onProgress?: (position: GlobalPosition, until: GlobalPosition) => void;
  readonly clock?: () => Date;
  /** Asked after each page: true drops the work not yet written, and returns. */
  readonly stopped?: () => boolean;
  /** Rows held in memory, all projections together, before they are written out with the checkpoints (default 500,000). */
  readonly maxRowsInMemory?: number;
  /** Events read a page at a time (default 2,000 where the store reads ahead, else 10,000). */
  readonly pageSize?: number;
}

/** A page a round trip, for stores that read only when asked (PostgreSQL, EventStoreDB). */
const PAGE_SIZE = 10_000;
/**
 * Small enough that the pages a store reads ahead (one being folded, one arrived, one being
 * read) stay out of the way of the young generation: with pages of 10,000, each arrived page
 * lived through a scavenge or two, copied each time, and the rebuild's garbage collection on
 * its own thread doubled (2.9 s -> 5.9 s over two full rebuilds of a million events, the
 * read-ahead's gain lost). The embedded store reading on the caller's thread took the same
 * time with either.
 */
const READ_AHEAD_PAGE_SIZE = 2_000;
/**
 * About 2.7 KB a row for the engine's projections (a loan's instalments as values): 108 MiB
 * of heap for 10,000 loans, four rows each. Without a bound a million loans would need
 * ~11 GiB, far past Node's default heap of ~4 GiB; with it a rebuild holds ~1.3 GiB of rows
 * (125,000 loans' worth: 100,000 loans are still rebuilt wholly in memory, as before).
 */
const MAX_ROWS_IN_MEMORY = 500_000;

/**
 * Builds projections from the first event in one pass over the log, every row folded in
 * memory, then writes the rows and moves each checkpoint from START_OF_LOG in one
 * transaction. Their tables must exist, empty, with checkpoints at START_OF_LOG. Where more
 * rows than `maxRowsInMemory` are held, they are written out with the checkpoints at the
 * position reached (a transaction like the last one: a crash resumes from there) and
 * dropped; one an event names again is read back first, a page of events at a time.
 * Returns undefined when stopped, or when another process moved a checkpoint first: then
 * nothing more is written (and nothing at all unless rows had to be written out).
 */
export async function rebuildInMemory(
  projections: readonly Projection[],
  events: EventStore,
  readModels: ReadModelDb,
  options: RebuildOptions = {},
): Promise<RebuildResult | undefined> {
  const until = options.until ?? (await events.headPosition());
  const maxRows = options.maxRowsInMemory ?? MAX_ROWS_IN_MEMORY;
  const clock = options.clock ?? (() => new Date());
  const folds = projections.map((projection) => ({
    rows: new RowsInMemory(projection),
    handled: projection.handles === 'all' ? undefined : new Set(projection.handles),
  }));
  let position = START_OF_LOG;
  let written = START_OF_LOG;
  let read = 0;
  let rows = 0;
  /** Writes every row held and moves each checkpoint from `written` to `position`, in one transaction. */
  const flush = async (): Promise<boolean> => {
    const now = clock();
    try {
      rows += await readModels.transaction().execute(async (trx) => {
        let flushed = 0;
        for (const [index, projection] of projections.entries()) {
          if (!(await advanceCheckpoint(trx, projection.name, projection.version, written, position, now))) throw new CheckpointTaken();
          flushed += await folds[index]!.rows.flushTo(trx);
        }
        return flushed;
      });
    } catch (error) {
      if (error instanceof CheckpointTaken) return false;
      throw error;
    }
    written = position;
    return true;
  };
  // Leaving the loop early (stopped, a checkpoint taken) ends the read, and its thread where the store reads ahead.
  const pageSize = options.pageSize ?? (events.readLogAhead ? READ_AHEAD_PAGE_SIZE : PAGE_SIZE);
  for await (const page of readLogInPages(events, position, until, pageSize)) {
    for (const { rows: held, handled } of folds) {
      if (held.flushed) await held.loadFor(handled ? page.filter((event) => handled.has(event.type)) : page, readModels);
    }
    for (const event of page) {
      position = event.position;
      read++;
      for (const { rows: held, handled } of folds) if (!handled || handled.has(event.type)) held.apply(event);
    }
    options.onProgress?.(position, until);
    // A rebuild reads for seconds: requests and signals are served between pages.
    await yieldToEventLoop();
    if (options.stopped?.()) return undefined;
    if (position < until && folds.reduce((held, fold) => held + fold.rows.size, 0) > maxRows && !(await flush())) return undefined;
  }
  if (position === START_OF_LOG) return { position, events: 0, rows: 0 };
  if (!(await flush())) return undefined;
  return { position, events: read, rows };
}

/** Another process applied events to a projection being rebuilt: the transaction is rolled back. */
class CheckpointTaken extends Error {}
