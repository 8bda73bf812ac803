import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { BusinessRuleViolation } from '../../kernel/errors/domain-error.js';
import type { WriteOffLoan } from './loan-commands.js';
import type { LoanEvent, LoanWrittenOffData } from './loan-events.js';
import { assertNotBackdated, disbursed } from './loan-preconditions.js';
import { type LoanState, evolveLoan, interestOutstanding, penaltyOutstanding, principalOutstanding } from './loan-state.js';
import { accruePenalty } from './penalty-accrual.js';

/**
 * Writes the loan off on `writtenOffOn`: penalty accrues through that day, then the unpaid
 * principal, the interest fallen due and the penalty are recorded as written off, and
 * accrual stops for good. Later payments are recoveries.
 */
export function decideWriteOff(command: WriteOffLoan, state: LoanState): LoanEvent[] {
  const { terms } = disbursed(state);
  if (state.writtenOff) {
    throw new BusinessRuleViolation('LOAN.ALREADY_WRITTEN_OFF', `The loan was already written off on ${state.writtenOff.writtenOffOn}`, {
      writeOffId: state.writtenOff.writeOffId,
    });
  }
  if (state.status === 'paid-off') throw new BusinessRuleViolation('LOAN.CLOSED', 'The loan is paid off; there is nothing to write off');
  assertNotBackdated(state, command.writtenOffOn, 'A write-off', true);
  const penalty = accruePenalty(state.instalments, command.writtenOffOn, terms.penaltyAnnualRate, terms.policy.rounding);
  const accrued: LoanEvent[] = penalty ? [{ type: 'PenaltyAccrued', data: penalty }] : [];
  const { writeOffId, writtenOffOn, reason } = command;
  return [...accrued, writeOff(accrued.reduce(evolveLoan, state), { writeOffId, writtenOffOn, reason, automatic: false })];
}

/** The write-off event for the loan as it stands (penalty already accrued through the date). */
export function writeOff(
  state: LoanState,
  decision: { writeOffId: string; writtenOffOn: BusinessDate; reason: string; automatic: boolean },
): LoanEvent {
  const sum = (amountOf: (i: LoanState['instalments'][number]) => number, dueBy?: BusinessDate) =>
    state.instalments.filter((i) => !dueBy || i.dueOn <= dueBy).reduce((total, i) => total + amountOf(i), 0);
  const data: LoanWrittenOffData = {
    ...decision,
    principal: sum(principalOutstanding),
    interest: sum(interestOutstanding, decision.writtenOffOn),
    penalty: sum(penaltyOutstanding),
  };
  return { type: 'LoanWrittenOff', data };
}
