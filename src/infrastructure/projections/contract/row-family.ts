import type { StoredEvent } from '../../../kernel/event-store/event-store.port.js';

/**
 * The rows of one table, one per key, each the fold of the events that name its key: how
 * the projections here are written. The same fold runs against the database a batch at a
 * time when following the log (the batch's rows read in one statement, folded in memory,
 * written back in multi-row upserts keyed on the primary key), and in memory when a
 * projection is rebuilt from the first event, with the rows written once at the end.
 */
export interface RowFamily<Row> {
  readonly table: string;
  /** The primary-key column, holding what keyOf returns. */
  readonly keyColumn: string;
  /** The key of the row the event changes in this table, or undefined when it changes none. */
  keyOf(event: StoredEvent): string | undefined;
  /** The row after the event; undefined removes it (or leaves it absent). */
  next(row: Row | undefined, event: StoredEvent): Row | undefined;
  /** The row as its table's columns, and back. */
  toColumns(row: Row): Record<string, unknown>;
  fromColumns(columns: Record<string, unknown>): Row;
}
