import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RunLock } from '../run-lock.js';

/** Who holds a lock, as its holder wrote it beside the lock. */
interface Holder {
  readonly pid: number;
  readonly holder: string;
  readonly since: string;
}

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
 * left to clear by hand. SQLite's locks hold on one machine, as the store's files do.
 *
 * A refused caller is told who holds it: the holder writes itself into a file beside the lock
 * once it has the lock, and removes it before letting go. Read by someone refused, that file
 * names the holder only while its process lives: a holder that died left it behind.
 */
export class SqliteRunLock implements RunLock {
  /** `besidePath`: the store's file the locks are kept beside (`<besidePath>.<name>.lock`). */
  constructor(private readonly besidePath: string) {}

  async whileHolding<T>(name: string, description: string, work: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false; heldBy: string }> {
    const lockPath = `${this.besidePath}.${name}.lock`;
    const holderPath = `${lockPath}.holder`;
    // No busy timeout: a lock taken is refused at once.
    const lock = new Database(lockPath, { timeout: 0 });
    try {
      try {
        lock.exec('BEGIN IMMEDIATE');
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        return { ran: false, heldBy: holderOf(holderPath) };
      }
      HELD.add(lock);
      try {
        const holder: Holder = { pid: process.pid, holder: `arrears ${hostname()} pid ${process.pid}: ${description}`, since: new Date().toISOString() };
        writeFileSync(holderPath, JSON.stringify(holder));
        try {
          return { ran: true, result: await work() };
        } finally {
          rmSync(holderPath, { force: true });
        }
      } finally {
        lock.exec('ROLLBACK');
        HELD.delete(lock);
      }
    } finally {
      lock.close();
    }
  }
}

/** The holder as it wrote itself down, while its process lives. */
function holderOf(holderPath: string): string {
  let holder: Holder;
  try {
    holder = JSON.parse(readFileSync(holderPath, 'utf8')) as Holder;
  } catch {
    // Not written yet, or removed a moment ago.
    return 'another process (it has just started or just finished)';
  }
  return isAlive(holder.pid) ? `${holder.holder} (since ${holder.since})` : 'another process (it has just started)';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it lives, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
