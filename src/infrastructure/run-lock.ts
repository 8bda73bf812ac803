import { hostname } from 'node:os';

/**
 * Work that one process at a time may do (close of business, a replay) among the engines
 * and CLI commands sharing a store. On PostgreSQL a session advisory lock
 * (postgres/postgres-run-lock.ts); on the embedded store's files, SQLite's write lock on a
 * file beside them (sqlite/sqlite-run-lock.ts). Both refuse a second run of the same name in
 * the holder's own process too. A store in memory is one process's own: there nothing is
 * coordinated (ONE_PROCESS_RUN_LOCK).
 */
export interface RunLock {
  /**
   * Runs `work` holding the lock `name`, with `description` (who is running what) shown to
   * anyone refused meanwhile; when another session holds it, answers who holds it and does
   * not run `work`.
   */
  whileHolding<T>(name: string, description: string, work: () => Promise<T>): Promise<{ readonly ran: true; readonly result: T } | { readonly ran: false; readonly heldBy: string }>;
}

export const RUN_LOCK = Symbol('RUN_LOCK');

/** Who holds a run lock, as a refused caller is told: this host and process, and what it runs. */
export function runLockHolder(description: string): string {
  return `arrears ${hostname()} pid ${process.pid}: ${description}`;
}

/** One process on the store (in memory): nothing to coordinate with, and every run goes ahead. */
export const ONE_PROCESS_RUN_LOCK: RunLock = {
  async whileHolding(_name, _description, work) {
    return { ran: true, result: await work() };
  },
};
