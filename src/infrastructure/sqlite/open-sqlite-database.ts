import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** How hard SQLite works to survive a power loss; FULL syncs the WAL on every commit. */
export type SqliteSynchronous = 'OFF' | 'NORMAL' | 'FULL';

export const IN_MEMORY = ':memory:';

/** 10,000 pages of 4 KiB, as the event store has always had it. */
export const WAL_BYTES_BETWEEN_CHECKPOINTS = 10_000 * 4_096;
const PAGE_CACHE_KIB = 64 * 1024;

/**
 * How commits reach the file: through a write-ahead log (WAL), or, for a scratch file whose
 * content is thrown away unless a later step copies it, straight into the file with no
 * journal at all (OFF: a crash midway, or any transaction rolled back, leaves a file that
 * must not be read again).
 */
export type SqliteJournal = 'WAL' | 'OFF';

export interface SqliteFileLayout {
  /** Default WAL. */
  readonly journal?: SqliteJournal;
  /**
   * The page size of a file created now (SQLite's default, 4096, where not given); a file
   * that exists keeps its own. A row longer than the page (less 35 bytes) sends its tail to
   * overflow pages, each read and written on its own, in a rowid table; in a WITHOUT ROWID
   * table, a row longer than about a quarter of the page already does.
   */
  readonly pageBytes?: number;
}

/** Opens (creating the folder if needed) a SQLite file in WAL mode (or without a journal), or an in-memory database. */
export function openSqliteDatabase(path: string, synchronous: SqliteSynchronous = 'FULL', { journal = 'WAL', pageBytes }: SqliteFileLayout = {}): Database.Database {
  if (path !== IN_MEMORY) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // Before the first write, which fixes it.
    if (pageBytes !== undefined) db.pragma(`page_size = ${pageBytes}`);
    if (path !== IN_MEMORY) setJournalMode(db, path, journal);
  } catch (error) {
    db.close();
    throw error;
  }
  // Another process (the CLI, a second runner) may hold the write lock for a moment.
  db.pragma('busy_timeout = 5000');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  // Copy the WAL back into the database every ~40 MB rather than SQLite's 4 MB: a page
  // rewritten many times in between (a stream's row, an index page) is copied once.
  checkpointOnCommitEvery(db, WAL_BYTES_BETWEEN_CHECKPOINTS);
  // SQLite's default page cache is 2 MB: with a million-event log, the index pages every
  // command walks through (stream revisions, event ids, snapshots) keep leaving it.
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return db;
}

/**
 * Set before the first read or write, and SQLite's answer checked: it keeps the mode it had
 * where it refuses a change, and says so only by answering with that mode. better-sqlite3
 * opens connections in SQLite's defensive mode, which refuses journal_mode = OFF; it is
 * lifted for that one statement only.
 */
function setJournalMode(db: Database.Database, path: string, journal: SqliteJournal): void {
  let mode: string | undefined;
  try {
    if (journal === 'OFF') db.unsafeMode(true);
    mode = (db.pragma(`journal_mode = ${journal}`) as { journal_mode: string }[])[0]?.journal_mode;
  } finally {
    db.unsafeMode(false);
  }
  if (mode?.toUpperCase() !== journal) throw new Error(`${path} could not be put in journal mode ${journal} (it is in ${mode ?? 'an unknown mode'})`);
}

/**
 * The WAL size at which a commit copies the WAL back into the database (SQLite's automatic
 * checkpoint, run by the committing connection). SQLite counts it in pages, whose size the
 * file has.
 */
export function checkpointOnCommitEvery(db: Database.Database, walBytes: number): void {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${Math.round(walBytes / pageSize)}`);
}
