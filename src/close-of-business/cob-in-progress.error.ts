import { ConflictError } from '../kernel/errors/domain-error.js';

/** Another engine on the same store is running close of business now: one at a time (a lease), the second caller is told who holds it. */
export class CobInProgressError extends ConflictError {
  constructor(readonly holder: string) {
    super('COB.IN_PROGRESS', `Close of business is running on another engine: ${holder}; ask again once it has finished`, { holder });
  }
}
