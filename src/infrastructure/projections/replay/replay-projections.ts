import type { EventStore, GlobalPosition } from '../../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb } from '../contract/projection.js';
import { START_OF_LOG } from '../../../kernel/event-store/event-store.port.js';
import { createCheckpointTable, writeCheckpoint } from '../runner/checkpoint-table.js';
import { type RebuildOptions, rebuildInMemory } from '../runner/rebuild-in-memory.js';
import type { ReplayTarget } from './replay-target.js';

export interface ReplayResult {
  readonly projections: readonly { readonly name: string; readonly version: number }[];
  readonly position: GlobalPosition;
  readonly events: number;
  readonly rows: number;
}

/**
 * Rebuilds projections from the first event into fresh tables in a scratch database, then
 * swaps them in for the live ones in one transaction. Until that commit the
 * live tables answer as before; a running engine's projections notice their checkpoint
 * moved and carry on from the rebuilt position.
 */
export async function replayProjections(
  projections: readonly Projection[],
  events: EventStore,
  live: ReadModelDb,
  target: ReplayTarget,
  options: Pick<RebuildOptions, 'onProgress' | 'clock'> = {},
): Promise<ReplayResult> {
  const clock = options.clock ?? (() => new Date());
  const scratch = await target.openScratch();
  let rebuilt;
  try {
    await createCheckpointTable(scratch);
    await scratch.transaction().execute(async (trx) => {
      for (const projection of projections) {
        await projection.createTables(trx);
        await writeCheckpoint(trx, projection.name, { version: projection.version, position: START_OF_LOG }, clock());
      }
    });
    rebuilt = await rebuildInMemory(projections, events, scratch, options);
    if (!rebuilt) throw new Error('The scratch database was written by another process during the replay');
  } catch (error) {
    // Never retried on this scratch: a SQLite scratch has no journal, so whatever rolled back left it undefined.
    await scratch.destroy();
    await target.discard();
    throw error;
  }
  await scratch.destroy();
  await target.swapIn(live, projections, rebuilt.position, clock());
  return {
    projections: projections.map(({ name, version }) => ({ name, version })),
    position: rebuilt.position,
    events: rebuilt.events,
    rows: rebuilt.rows,
  };
}
