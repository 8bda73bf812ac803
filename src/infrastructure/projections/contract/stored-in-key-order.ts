import { type CreateTableBuilder, sql } from 'kysely';
import type { ReadModelTransaction } from './projection.js';
import { onSqlite } from './read-store-dialect.js';

/**
 * A table whose rows SQLite keeps in the order of their primary key (WITHOUT ROWID), rather
 * than in the order they were first written (a rowid table, whose text key is only an index
 * beside it).
 *
 * Close of business visits the loans with work in loan id order, a thousand a commit, and
 * the projections apply its events in that order, a few hundred loans a batch. In a rowid
 * table built by following the log, each loan's row lies where it was first written, in the
 * order loans were originated, which loan ids do not follow: each batch rewrote nearly as
 * many pages (16 KiB then) as it changed rows (~15 KiB written for a stream catalogue row of ~100
 * bytes). Kept in key order, a batch's rows share pages. Measured on a million-row copy of
 * the stream catalogue, its rows first written in random key order, then 100,000 of them
 * changed in key order, 1,000 a commit: 1.54 GB went through the WAL as a rowid table, 0.15 GB
 * kept in key order. (A rebuild writes a rowid table in key order too, but the loans
 * originated after it are appended at its end.)
 *
 * Only for tables of short rows (the stream catalogue, the loan register): a WITHOUT ROWID
 * table is a B-tree of keys, whose leaf keeps at most about a quarter of a page of each row
 * (~1,000 bytes on the read models' 4 KiB pages) and sends the rest to overflow pages, each
 * written whole when the row changes. A loan's overdue-status and COB work-index rows (1-3
 * KB) are in rowid tables, whose leaf keeps a row up to the page; there each row changed
 * costs a page in any order, close of business changing one loan's row in ten.
 *
 * PostgreSQL keeps no table in key order (CLUSTER is a one-off rewrite): there the table is
 * created as before.
 */
export function storedInKeyOrder<Table extends string, Columns extends string>(
  table: CreateTableBuilder<Table, Columns>,
  db: ReadModelTransaction,
): CreateTableBuilder<Table, Columns> {
  return onSqlite(db) ? table.modifyEnd(sql`without rowid`) : table;
}
