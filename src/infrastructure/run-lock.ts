/**
 * Work that one process at a time may do (close of business, a replay) among the engines
 * and CLI commands sharing a store. On PostgreSQL a session advisory lock
 * (postgres/postgres-run-lock.ts); on the embedded store's files, SQLite's write lock on a
 * file beside them (sqlite/sqlite-run-lock.ts); a store in memory is one process's own, so
 * there it always runs.
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

/** One process on the store (in memory): nothing to coordinate with. */
export const ONE_PROCESS_RUN_LOCK: RunLock = {
  async whileHolding(_name, _description, work) {
    return { ran: true, result: await work() };
  },
};
