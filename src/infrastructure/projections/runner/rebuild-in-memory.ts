import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type EventStore, type GlobalPosition, START_OF_LOG } from '../../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb } from '../contract/projection.js';
import { RowsInMemory } from './apply-row-families.js';
import { advanceCheckpoint } from './checkpoint-table.js';

export interface RebuildResult {
  /** The checkpoint the rebuilt rows stand at. */
  readonly position: GlobalPosition;
  /** Events read from the log. */
  readonly events: number;
  readonly rows: number;
}

export interface RebuildOptions {
  /** The last position to apply; default: the head when the rebuild starts. */
  readonly until?: GlobalPosition;
  readonly onProgress?: (position: GlobalPosition, until: GlobalPosition) => void;
  readonly clock?: () => Date;
  /** Asked after each page: true drops the work, and nothing is written. */
  readonly stopped?: () => boolean;
}

const PAGE_SIZE = 10_000;

/**
 * Builds projections from the first event in one pass over the log, every row folded in
 * memory, then writes the rows and moves each checkpoint from START_OF_LOG in one
 * transaction. Their tables must exist, empty, with checkpoints at START_OF_LOG. Returns
 * undefined when stopped, or when another process moved a checkpoint first: then nothing
 * is written.
 */
export async function rebuildInMemory(
  projections: readonly Projection[],
  events: EventStore,
  readModels: ReadModelDb,
  options: RebuildOptions = {},
): Promise<RebuildResult | undefined> {
  const until = options.until ?? (await events.headPosition());
  const folds = projections.map((projection) => ({
    rows: new RowsInMemory(projection),
    handled: projection.handles === 'all' ? undefined : new Set(projection.handles),
  }));
  let position = START_OF_LOG;
  let read = 0;
  while (position < until) {
    const page = await events.readAll(position, PAGE_SIZE);
    if (page.length === 0) break;
    for (const event of page) {
      if (event.position > until) break;
      position = event.position;
      read++;
      for (const { rows, handled } of folds) if (!handled || handled.has(event.type)) rows.apply(event);
    }
    options.onProgress?.(position, until);
    // A rebuild reads for seconds: requests and signals are served between pages.
    await yieldToEventLoop();
    if (options.stopped?.()) return undefined;
  }
  if (position === START_OF_LOG) return { position, events: 0, rows: 0 };
  const now = (options.clock ?? (() => new Date()))();
  return readModels.transaction().execute(async (trx) => {
    let rows = 0;
    for (const [index, projection] of projections.entries()) {
      if (!(await advanceCheckpoint(trx, projection.name, projection.version, START_OF_LOG, position, now))) throw new CheckpointTaken();
      rows += await folds[index]!.rows.writeTo(trx);
    }
    return { position, events: read, rows };
  }).catch((error: unknown) => {
    if (error instanceof CheckpointTaken) return undefined;
    throw error;
  });
}

/** Another process applied events to a projection being rebuilt: the whole rebuild is rolled back. */
class CheckpointTaken extends Error {}
