import type { Logger } from 'pino';
import { canonicalJson } from '../kernel/canonical-json.js';
import type { EventStore } from '../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb } from '../infrastructure/projections/contract/projection.js';
import { createCheckpointTable, readCheckpoint } from '../infrastructure/projections/runner/checkpoint-table.js';
import { ProjectionRunner } from '../infrastructure/projections/runner/projection-runner.js';

export interface ProjectionDifference {
  readonly projection: string;
  readonly table: string;
  /** A row as it is live but not rebuilt, or rebuilt but not live. */
  readonly onlyIn: 'live' | 'rebuilt';
  readonly row: Record<string, unknown>;
}

export interface ProjectionCheck {
  readonly projection: string;
  /** The live checkpoint the rebuild was taken to. */
  readonly position: number;
  readonly rows: number;
  readonly differences: readonly ProjectionDifference[];
  /** More differences than listed. */
  readonly more: number;
  /** True when the live read models hold nothing of it: it has never run there (no checkpoint), so there is nothing to compare. */
  readonly neverBuiltLive?: true;
}

const LISTED_DIFFERENCES = 20;

/**
 * Rebuilds a projection from the first event, in a scratch database of its own, up to the
 * live projection's checkpoint, and compares every row of every table with the live ones.
 * With no live read models (an auditor given only the events), it rebuilds up to the last
 * event and compares nothing: the rebuild itself is what is checked.
 */
export async function verifyProjection(
  projection: Projection,
  events: EventStore,
  live: ReadModelDb | null,
  scratch: ReadModelDb,
  options: { batchSize: number; logger: Pick<Logger, 'info' | 'error'>; onProgress?: (position: number, of: number) => void },
): Promise<ProjectionCheck> {
  const checkpoint = live === null ? undefined : await readCheckpoint(live, projection.name);
  // Read models opened by a process that never ran this projection (`arrears simulate`, say)
  // have none of its tables: what they hold is nothing, not a difference.
  if (live !== null && checkpoint === undefined) return { projection: projection.name, position: 0, rows: 0, differences: [], more: 0, neverBuiltLive: true };
  const position = checkpoint?.position ?? (await events.headPosition());
  await createCheckpointTable(scratch);
  const runner = new ProjectionRunner(projection, events, scratch, { batchSize: options.batchSize, logger: options.logger });
  const status = await runner.runUntilCaughtUp(position, (checkpoint) => options.onProgress?.(checkpoint, position));
  if (status.failure) throw new Error(`Rebuilding ${projection.name} failed at position ${status.failure.position}: ${status.failure.message}`);

  const differences: ProjectionDifference[] = [];
  let rows = 0;
  let more = 0;
  if (live === null) {
    for (const table of projection.tables) rows += (await rowsOf(scratch, table)).size;
    return { projection: projection.name, position, rows, differences, more };
  }
  for (const table of projection.tables) {
    const [liveRows, rebuiltRows] = await Promise.all([rowsOf(live, table), rowsOf(scratch, table)]);
    rows += liveRows.size;
    for (const [onlyIn, mine, theirs] of [['live', liveRows, rebuiltRows], ['rebuilt', rebuiltRows, liveRows]] as const) {
      for (const [key, row] of mine) {
        if (theirs.has(key)) continue;
        if (differences.length < LISTED_DIFFERENCES) differences.push({ projection: projection.name, table, onlyIn, row });
        else more++;
      }
    }
  }
  return { projection: projection.name, position, rows, differences, more };
}

/** Every row, keyed by its canonical JSON: two tables are equal when their key sets are. */
async function rowsOf(db: ReadModelDb, table: string): Promise<Map<string, Record<string, unknown>>> {
  const rows = (await db.selectFrom(table as never).selectAll().execute()) as Record<string, unknown>[];
  // Numbers may come back as bigint from one store and number from another: compare values, not types.
  return new Map(rows.map((row) => [canonicalJson(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))), row]));
}
