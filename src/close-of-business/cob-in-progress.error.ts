import { ConflictError } from '../kernel/errors/domain-error.js';

/** Close of business is running now on the same store (another engine, or the CLI beside this one): one at a time (RunLock), the second caller is told who holds it. */
export class CobInProgressError extends ConflictError {
  constructor(readonly holder: string) {
    super('COB.IN_PROGRESS', `Close of business is already running on this store: ${holder}; ask again once it has finished`, { holder });
  }
}
