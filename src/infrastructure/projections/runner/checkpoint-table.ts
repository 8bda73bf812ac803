import { type CompiledQuery, sql } from 'kysely';
import { compiledRead } from '../contract/compiled-read.js';
import type { ReadModelDb, ReadModelTransaction } from '../contract/projection.js';
import type { GlobalPosition } from '../../../kernel/event-store/event-store.port.js';

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

function checkpointQuery(db: ReadModelDb | ReadModelTransaction, name: string) {
  return db.selectFrom(CHECKPOINT_TABLE).select(['version', 'position']).where('name', '=', name);
}

function checkpointOf(row: { version: unknown; position: unknown } | undefined): Checkpoint | undefined {
  return row ? { version: Number(row.version), position: Number(row.position) } : undefined;
}

export async function readCheckpoint(db: ReadModelDb | ReadModelTransaction, name: string): Promise<Checkpoint | undefined> {
  return checkpointOf(await checkpointQuery(db, name).executeTakeFirst());
}

/**
 * readCheckpoint of one projection, compiled once: for a reader that asks on every request
 * (the overdue summary), where Kysely's building and compiling of the query cost as much as
 * running it.
 */
export function compiledCheckpointRead(db: ReadModelDb, name: string): () => Promise<Checkpoint | undefined> {
  const read = compiledRead(db, checkpointQuery(db, name).compile() as CompiledQuery<{ version: unknown; position: unknown }>);
  return async () => checkpointOf((await read())[0]);
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

/**
 * Moves a checkpoint from `from` to `to`, only if it is still at `from`: when another
 * process (a CLI run, a second instance) applied the same events first, this returns false
 * and the caller rolls its batch back instead of applying the events twice.
 */
export async function advanceCheckpoint(
  db: ReadModelTransaction,
  name: string,
  version: number,
  from: GlobalPosition,
  to: GlobalPosition,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable(CHECKPOINT_TABLE)
    .set({ position: to, updated_at: now.toISOString() })
    .where('name', '=', name)
    .where('version', '=', version)
    .where('position', '=', from)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Removes a projection's tables; used before rebuilding it from position 0. */
export async function dropTables(db: ReadModelTransaction, tables: readonly string[]): Promise<void> {
  for (const table of tables) await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
}
