import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { ReadModelDb } from '../projections/contract/projection.js';

const INT8 = 20;
const POOL_SIZE = 10;

/**
 * Read models in PostgreSQL, through the same query builder as the embedded store. BIGINT
 * columns (amounts in minor units, log positions) come back as numbers, as from SQLite:
 * every value stored here stays far below 2^53. `schema` must be a plain identifier (the
 * configuration checks it).
 */
export async function openPostgresReadModelDb(url: string, schema = 'public'): Promise<ReadModelDb> {
  if (schema !== 'public') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (error) {
      // Two instances starting together: the other one created it.
      if ((error as { code?: string }).code !== '23505') throw error;
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    // Every connection starts in the read-model schema: the projections' SQL names no schema.
    // Commits are not waited on to reach the disk (synchronous_commit=off): everything here is
    // derived from the event log, and a projection's rows are committed with its checkpoint, so
    // a database crash can only take the last few batches back, rows and checkpoint together,
    // and the runner applies them again from the log. Never corrupt, never half a batch.
    options: `-c search_path=${schema} -c synchronous_commit=off`,
    types: { getTypeParser: (oid: number, format?: string) => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) } as pg.CustomTypesConfig,
  });
  return new Kysely({ dialect: new PostgresDialect({ pool }) });
}
