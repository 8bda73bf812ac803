import { ConflictError } from '../../../kernel/errors/domain-error.js';

/**
 * A replay is running on the same store now: one at a time (RunLock), as two would build in
 * the one scratch file (or schema); the second is told who holds it.
 */
export class ReplayInProgressError extends ConflictError {
  constructor(readonly holder: string) {
    super('REPLAY.IN_PROGRESS', `A replay is already running on this store: ${holder}; run it again once it has finished`, { holder });
  }
}
