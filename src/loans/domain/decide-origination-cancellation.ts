import { BusinessRuleViolation } from '../../kernel/errors/domain-error.js';
import type { CancelOrigination } from './loan-commands.js';
import type { LoanEvent } from './loan-events.js';
import { originated } from './loan-preconditions.js';
import type { LoanState } from './loan-state.js';

/**
 * Withdraws an origination before any money moved (approved in error, or declined by the
 * borrower). Once disbursed, a loan ends by being repaid or written off, never cancelled.
 */
export function decideOriginationCancellation(command: CancelOrigination, state: LoanState): LoanEvent[] {
  originated(state);
  if (state.status === 'cancelled') throw new BusinessRuleViolation('LOAN.CANCELLED', 'The loan origination is already cancelled');
  if (state.disbursedOn !== undefined) {
    throw new BusinessRuleViolation(
      'LOAN.ALREADY_DISBURSED',
      `The loan was disbursed on ${state.disbursedOn}: it is repaid, or written off, not cancelled`,
    );
  }
  return [{ type: 'LoanOriginationCancelled', data: { cancelledOn: command.cancelledOn, reason: command.reason } }];
}
