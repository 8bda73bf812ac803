import type { Kysely, Transaction } from 'kysely';
import type { RowFamily } from './row-family.js';

/**
 * Read-model rows are written through Kysely so that each projection is written once and
 * runs on the embedded SQLite store and on PostgreSQL alike.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReadModelDb = Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReadModelTransaction = Transaction<any>;

/**
 * A read model fed from the global log: for each event whose type is handled, every row
 * family folds it into the row it names, inside a transaction that also moves the
 * projection's checkpoint.
 */
export interface Projection {
  readonly name: string;
  /** Bump it whenever the rows would come out differently: the projection is rebuilt from position 0. */
  readonly version: number;
  /** Event types to apply, or 'all'. Other events only move the checkpoint. */
  readonly handles: readonly string[] | 'all';
  /** The tables this projection owns, one per row family; they are dropped when it is rebuilt. */
  readonly tables: readonly string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly families: readonly RowFamily<any>[];
  createTables(db: ReadModelTransaction): Promise<void>;
}

/** Nest injection token for the read-model database (Kysely). */
export const READ_MODEL_DB = Symbol('ReadModelDb');
