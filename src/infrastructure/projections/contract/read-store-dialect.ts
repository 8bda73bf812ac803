import { SqliteAdapter } from 'kysely';
import type { ReadModelDb, ReadModelTransaction } from './projection.js';

/** Whether the read models are in the embedded SQLite store (else PostgreSQL), where a layout or a write differs between the two. */
export function onSqlite(db: ReadModelDb | ReadModelTransaction): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}
