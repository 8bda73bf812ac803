import type Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { ReadModelDb } from '../projections/contract/projection.js';
import { lendSynchronousReads } from '../projections/contract/compiled-read.js';
import { openSqliteDatabase } from './open-sqlite-database.js';

/**
 * SQLite's own 4 KiB pages. Every page a commit changes goes to the WAL whole, and again into
 * the file when the WAL is copied back, so the page is what writing one row costs. A close
 * of business at 1,000,000 loans changes the overdue-status rows of the 100,000 it visits,
 * one in ten, each 1-3 KB: on 16 KiB pages (nine rows a page) each changed row cost 16 KiB
 * twice, and the projections handed 2.9-3.4 GB to write(2) during the close; on 4 KiB pages,
 * those rows in a rowid table (stored-in-key-order.ts), 1.0-1.3 GB. Files created before
 * keep their pages.
 */
const READ_MODEL_PAGE_BYTES = 4_096;

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
