import type Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { ReadModelDb } from '../projections/contract/projection.js';
import { lendSynchronousReads } from '../projections/contract/compiled-read.js';
import { openSqliteDatabase } from './open-sqlite-database.js';

/**
 * Pages of 16 KiB rather than SQLite's 4 KiB: a loan's rows hold its instalments and
 * payments as JSON, 1-3 KB a column, so a 4 KiB page held one overdue-status row and much
 * empty space, or sent a longer row's tail to an overflow page. A replay of 27,000 loans
 * (bench:replay) wrote 102 MB instead of 134 MB and swapped its tables in in 0.2-0.7 s
 * instead of 1.0-1.3 s; projections following the log and the one-loan queries of
 * bench:http did not change beyond the machine's noise. Files created before keep their
 * 4 KiB pages.
 */
const READ_MODEL_PAGE_BYTES = 16_384;

/**
 * The embedded read-model store. Read models can be rebuilt from the event log, so commits
 * skip the fsync (synchronous=NORMAL): a power loss can only take the newest batches, rows
 * and checkpoint together, and the runner re-applies them. A replay's scratch file
 * (`scratch`) has no journal and no syncs at all: nothing in it is kept unless the swap
 * copies it into the live file, and after a crash or a rolled-back transaction it is only
 * fit to be removed.
 */
export function openSqliteReadModelDb(path: string, { scratch = false }: { scratch?: boolean } = {}): ReadModelDb {
  const database = scratch
    ? openSqliteDatabase(path, 'OFF', { journal: 'OFF', pageBytes: READ_MODEL_PAGE_BYTES })
    : openSqliteDatabase(path, 'NORMAL', { pageBytes: READ_MODEL_PAGE_BYTES });
  const statements = withStatementCache(database);
  const db = new Kysely({ dialect: new SqliteDialect({ database: statements }) });
  // Queries compiled once (compiledRead) run at once on this connection, outside any open transaction.
  return lendSynchronousReads(db, {
    run: (sqlText, parameters) => (database.inTransaction ? undefined : (statements.prepare(sqlText) as Database.Statement).all(parameters)),
  });
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query it runs; projections run the same few queries per event, and
 * preparing costs about as much as executing, so prepared statements are kept by SQL text.
 */
function withStatementCache(db: Database.Database): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare(sqlText: string) {
      let statement = statements.get(sqlText);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statement = db.prepare(sqlText);
        statements.set(sqlText, statement);
      }
      return statement;
    },
  };
}
