import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type EventStore, type GlobalPosition, START_OF_LOG } from '../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb } from '../../kernel/projections/projection.js';
import { RowsInMemory } from './apply-row-families.js';
import { advanceCheckpoint } from './checkpoint-table.js';

export interface RebuildResult {
  /** The checkpoint the rebuilt rows stand at. */
  readonly position: GlobalPosition;
  readonly events: number;
  readonly rows: number;
}

const PAGE_SIZE = 10_000;

/**
 * Builds a projection from the first event with every row folded in memory, then writes
 * the rows and moves the checkpoint from START_OF_LOG in one transaction. The projection's
 * tables must exist, empty, with the checkpoint at START_OF_LOG (ProjectionRunner.prepare).
 * Returns undefined when another process moved the checkpoint first, or when stopped:
 * nothing is written.
 */
export async function rebuildInMemory(
  projection: Projection,
  events: EventStore,
  readModels: ReadModelDb,
  options: { until?: GlobalPosition; onProgress?: (position: GlobalPosition) => void; clock?: () => Date; stopped?: () => boolean } = {},
): Promise<RebuildResult | undefined> {
  const until = options.until ?? (await events.headPosition());
  const handled = projection.handles === 'all' ? undefined : new Set(projection.handles);
  const rows = new RowsInMemory(projection);
  let position = START_OF_LOG;
  let applied = 0;
  while (position < until) {
    const page = await events.readAll(position, PAGE_SIZE);
    if (page.length === 0) break;
    for (const event of page) {
      if (event.position > until) break;
      position = event.position;
      if (handled && !handled.has(event.type)) continue;
      rows.apply(event);
      applied++;
    }
    options.onProgress?.(position);
    await yieldToEventLoop();
    // Shutting down: the work is dropped, nothing is written, and the next start begins again.
    if (options.stopped?.()) return undefined;
  }
  if (position === START_OF_LOG) return { position, events: 0, rows: 0 };
  const now = (options.clock ?? (() => new Date()))();
  return readModels.transaction().execute(async (trx) => {
    if (!(await advanceCheckpoint(trx, projection.name, projection.version, START_OF_LOG, position, now))) return undefined;
    return { position, events: applied, rows: await rows.writeTo(trx) };
  });
}
