import Database from 'better-sqlite3';
import { readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type RunLock, runLockHolder } from '../run-lock.js';

/**
 * The connections holding a lock now. Kept from the garbage collector: better-sqlite3 closes
 * a connection it collects, which lets go of the lock, and the work's promise chain (holding
 * the connection) is collectable whenever nothing else holds that chain.
 */
const HELD = new Set<Database.Database>();

/**
 * Work one process at a time may do among those sharing the embedded store's files (an
 * engine, and the CLI run beside it: `arrears cob`, `arrears replay`). The lock is SQLite's
 * own write lock on a small file of the lock's name beside the store, taken with BEGIN
 * IMMEDIATE and no busy wait (a second taker is refused at once, never queued), held until
 * the work ends, and released by the operating system should the holder die: nothing is
 * left to clear by hand. SQLite's locks hold on one machine, as the store's files do. They
 * are POSIX locks, which a process loses when it closes any descriptor of the file: only
 * SQLite (which keeps such descriptors open while a lock is held) may open the lock files.
 *
 * A refused caller is told who holds it: the holder writes itself into a file beside the
 * lock once it has the lock, and removes it before letting go, so a holder file read while
 * the lock is held is the holder's, except in the moment between a holder taking the lock and
 * writing itself down (then it is missing, or left by a holder that died before removing it).
 */
export class SqliteRunLock implements RunLock {
  /** `besidePath`: the store's file the locks are kept beside (`<besidePath>.<name>.lock`). */
  constructor(private readonly besidePath: string) {}

  async whileHolding<T>(name: string, description: string, work: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false; heldBy: string }> {
    const lockPath = `${fileItself(this.besidePath)}.${name}.lock`;
    const holderPath = `${lockPath}.holder`;
    const lock = openLockFile(lockPath);
    try {
      try {
        lock.exec('BEGIN IMMEDIATE');
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw cannotTake(lockPath, error);
        return { ran: false, heldBy: holderOf(holderPath) };
      }
      HELD.add(lock);
      writeHolder(holderPath, `${runLockHolder(description)} (since ${new Date().toISOString()})`);
      try {
        return { ran: true, result: await work() };
      } finally {
        removeHolder(holderPath);
      }
    } finally {
      HELD.delete(lock);
      // Closing rolls the empty transaction back and lets go of the lock.
      lock.close();
    }
  }
}

/**
 * The store's file as the file system names it, whatever path reached it: one process given
 * a symbolic link to the file (or to its folder) and another given the file itself must
 * take one lock, not two. A file not there yet is named within its folder, resolved.
 */
function fileItself(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

function openLockFile(lockPath: string): Database.Database {
  try {
    // No busy timeout: a lock taken is refused at once.
    return new Database(lockPath, { timeout: 0 });
  } catch (error) {
    throw cannotTake(lockPath, error);
  }
}

/** SQLite's own words name no file: a lock file the process cannot open or write (made by another user, say) is named. */
function cannotTake(lockPath: string, error: unknown): Error {
  // Its message, read without instanceof: better-sqlite3's errors may come from another realm's Error (jest's, for one).
  const message = (error as { message?: unknown } | undefined)?.message;
  return new Error(`the run lock ${lockPath} could not be taken: ${typeof message === 'string' ? message : String(error)}`, { cause: error });
}

/** Whole or not at all (a temporary file renamed over it), so that no reader sees half a name. */
function writeHolder(holderPath: string, holder: string): void {
  const written = `${holderPath}.${process.pid}`;
  try {
    writeFileSync(written, holder);
    renameSync(written, holderPath);
  } catch {
    // Only a name for those refused: the lock is held all the same.
    removeHolder(written);
  }
}

function removeHolder(holderPath: string): void {
  try {
    rmSync(holderPath, { force: true });
  } catch {
    // Only a name for those refused: failing to remove it must not fail work that is done.
  }
}

function holderOf(holderPath: string): string {
  try {
    return readFileSync(holderPath, 'utf8');
  } catch {
    // Not written yet, or removed a moment ago.
    return 'another process (it has just started or just finished)';
  }
}
