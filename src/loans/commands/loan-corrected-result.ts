import type { LoanStatus } from '../domain/loan-state.js';
import type { LoanCommandOutcome } from './loan-command-runner.js';
import { type LoanEventData, type LoanEventType, recordedData } from './recorded-loan-event.js';

/** What a command that undoes an earlier one recorded (its correcting event), and the loan's status after it. */
export interface LoanCorrectedResult<T extends LoanEventType> {
  readonly recorded: T;
  readonly correction: LoanEventData<T>;
  readonly status: LoanStatus;
  readonly repeated: boolean;
}

export function correctedResult<T extends LoanEventType>(outcome: LoanCommandOutcome, recorded: T): LoanCorrectedResult<T> {
  // A correction is decided on a loan that exists, so it has a status.
  const status = outcome.state.status;
  if (!status) throw new Error(`No loan on ${outcome.stream} after a correction of it`);
  return { recorded, correction: recordedData(outcome, recorded), status, repeated: outcome.repeated };
}
