import { type CompiledQuery, createQueryId } from 'kysely';
import type { ReadModelDb } from './projection.js';

/**
 * What a store that answers reads on the calling thread (the embedded SQLite store) lends
 * to compiledRead: a prepared statement per SQL text, run at once with its parameters.
 */
export interface SynchronousReads {
  /**
   * Runs `sql` now and returns its rows, or undefined when a transaction is open on the
   * connection: a read then would see that transaction's rows before its commit.
   */
  run(sql: string, parameters: readonly unknown[]): unknown[] | undefined;
}

const synchronousReadsOf = new WeakMap<ReadModelDb, SynchronousReads>();

/** Said by the adapter that opened `db` (and again for a copy of it with plugins: the same connection). */
export function lendSynchronousReads(db: ReadModelDb, reads: SynchronousReads): ReadModelDb {
  synchronousReadsOf.set(db, reads);
  return db;
}

/** `derived` (e.g. `db.withPlugin(…)`) reads through the same connection as `db`. */
export function sameConnectionAs(derived: ReadModelDb, db: ReadModelDb): ReadModelDb {
  const reads = synchronousReadsOf.get(db);
  return reads ? lendSynchronousReads(derived, reads) : derived;
}

/**
 * A query built and compiled once, run with each call's parameters (its own when none are
 * given): for reads made on every request, where Kysely's building, compiling and
 * connection hand-over cost more than the store's running of the query.
 *
 * On the embedded SQLite store the statement runs at once, as one prepared statement,
 * unless a transaction is open on the connection (then it queues behind it, through
 * Kysely, as every other query does). PostgreSQL answers over the network: through Kysely.
 */
export function compiledRead<R>(db: ReadModelDb, compiled: CompiledQuery<R>): (parameters?: readonly unknown[]) => Promise<R[]> {
  const reads = synchronousReadsOf.get(db);
  const throughKysely = async (parameters: readonly unknown[]) =>
    // A query id of its own per run, as each built query has: plugins tell executions apart by it.
    (await db.executeQuery<R>({ ...compiled, queryId: createQueryId(), parameters })).rows;
  // Async, so that a statement failing at once rejects, as a query through Kysely does.
  return async (parameters = compiled.parameters) => (reads?.run(compiled.sql, parameters) as R[] | undefined) ?? throughKysely(parameters);
}
