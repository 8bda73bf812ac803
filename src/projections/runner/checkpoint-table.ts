import { sql } from 'kysely';
import type { ReadModelDb, ReadModelTransaction } from '../../kernel/projections/projection.js';
import type { GlobalPosition } from '../../kernel/event-store/event-store.port.js';

export const CHECKPOINT_TABLE = 'projection_checkpoints';

export interface Checkpoint {
  version: number;
  position: GlobalPosition;
}

/** Where each projection stands; written in the same transaction as the projection's rows. */
export async function createCheckpointTable(db: ReadModelDb): Promise<void> {
  await db.schema
    .createTable(CHECKPOINT_TABLE)
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function readCheckpoint(db: ReadModelDb | ReadModelTransaction, name: string): Promise<Checkpoint | undefined> {
  const row = await db
    .selectFrom(CHECKPOINT_TABLE)
    .select(['version', 'position'])
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? { version: Number(row.version), position: Number(row.position) } : undefined;
}

export async function writeCheckpoint(
  db: ReadModelTransaction,
  name: string,
  checkpoint: Checkpoint,
  now: Date,
): Promise<void> {
  await db
    .insertInto(CHECKPOINT_TABLE)
    .values({ name, ...checkpoint, updated_at: now.toISOString() })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({
        version: checkpoint.version,
        position: checkpoint.position,
        updated_at: now.toISOString(),
      }),
    )
    .execute();
}

/** Removes a projection's tables; used before rebuilding it from position 0. */
export async function dropTables(db: ReadModelTransaction, tables: readonly string[]): Promise<void> {
  for (const table of tables) await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
}
