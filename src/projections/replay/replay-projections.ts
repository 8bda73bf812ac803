import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import type { EventStore, GlobalPosition } from '../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb } from '../../kernel/projections/projection.js';
import { openSqliteReadModelDb } from '../../infrastructure/sqlite/sqlite-read-model-db.js';
import { START_OF_LOG } from '../../kernel/event-store/event-store.port.js';
import { createCheckpointTable, writeCheckpoint } from '../runner/checkpoint-table.js';
import { type RebuildOptions, rebuildInMemory } from '../runner/rebuild-in-memory.js';

export interface ReplayResult {
  readonly projections: readonly { readonly name: string; readonly version: number }[];
  readonly position: GlobalPosition;
  readonly events: number;
  readonly rows: number;
}

/**
 * Rebuilds projections from the first event into fresh tables in a scratch SQLite file,
 * then swaps them into the live read-model file in one transaction. Until that commit the
 * live tables answer as before; a running engine's projections notice their checkpoint
 * moved and carry on from the rebuilt position.
 */
export async function replayProjections(
  projections: readonly Projection[],
  events: EventStore,
  live: ReadModelDb,
  scratchPath: string,
  options: Pick<RebuildOptions, 'onProgress' | 'clock'> = {},
): Promise<ReplayResult> {
  removeDatabaseFiles(scratchPath);
  const scratch = openSqliteReadModelDb(scratchPath);
  let rebuilt;
  try {
    await createCheckpointTable(scratch);
    const now = (options.clock ?? (() => new Date()))();
    await scratch.transaction().execute(async (trx) => {
      for (const projection of projections) {
        await projection.createTables(trx);
        await writeCheckpoint(trx, projection.name, { version: projection.version, position: START_OF_LOG }, now);
      }
    });
    rebuilt = await rebuildInMemory(projections, events, scratch, options);
    if (!rebuilt) throw new Error('The scratch database was written by another process during the replay');
  } finally {
    await scratch.destroy();
  }

  await sql`ATTACH DATABASE ${scratchPath} AS replay`.execute(live);
  try {
    const now = (options.clock ?? (() => new Date()))();
    await live.transaction().execute(async (trx) => {
      for (const projection of projections) {
        // Qualified: unqualified, SQLite would look in the attached database too.
        for (const table of projection.tables) await sql`DROP TABLE IF EXISTS main.${sql.id(table)}`.execute(trx);
        await projection.createTables(trx);
        for (const table of projection.tables) {
          await sql`INSERT INTO main.${sql.id(table)} SELECT * FROM replay.${sql.id(table)}`.execute(trx);
        }
        await writeCheckpoint(trx, projection.name, { version: projection.version, position: rebuilt.position }, now);
      }
    });
  } finally {
    await sql`DETACH DATABASE replay`.execute(live);
    removeDatabaseFiles(scratchPath);
  }
  return {
    projections: projections.map(({ name, version }) => ({ name, version })),
    position: rebuilt.position,
    events: rebuilt.events,
    rows: rebuilt.rows,
  };
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
