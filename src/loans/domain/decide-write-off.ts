import { BusinessRuleViolation } from '../../kernel/errors/domain-error.js';
import type { WriteOffLoan } from './loan-commands.js';
import type { LoanEvent } from './loan-events.js';
import { assertNotBackdated, disbursed } from './loan-preconditions.js';
import { type LoanState, evolveLoan } from './loan-state.js';
import { closeThroughDayBefore, decideCloseOfBusiness } from './decide-close-of-business.js';
import { writeOff } from './loan-write-off.js';

/**
 * Writes the loan off on `writtenOffOn`: close of business of that day is done first (so
 * instalments missed by then are missed and penalty accrues through it), then the unpaid
 * principal, the interest fallen due and the penalty are recorded as written off, and
 * accrual stops for good: interest of instalments not yet due is not owed. Later payments
 * are recoveries.
 */
export function decideWriteOff(command: WriteOffLoan, state: LoanState): LoanEvent[] {
  disbursed(state);
  if (state.writtenOff) {
    throw new BusinessRuleViolation('LOAN.ALREADY_WRITTEN_OFF', `The loan was already written off on ${state.writtenOff.writtenOffOn}`, {
      writeOffId: state.writtenOff.writeOffId,
    });
  }
  if (state.status === 'paid-off') throw new BusinessRuleViolation('LOAN.CLOSED', 'The loan is paid off; there is nothing to write off');
  assertNotBackdated(state, command.writtenOffOn, 'A write-off', true);
  // The closes before the write-off day first, as daily closes would have run them: the
  // policy may already have written the loan off.
  const earlier = closeThroughDayBefore(state, command.writtenOffOn);
  const before = earlier.reduce(evolveLoan, state);
  if (before.writtenOff) {
    throw new BusinessRuleViolation(
      'LOAN.ALREADY_WRITTEN_OFF',
      `Under its ${before.terms!.policy.name} policy the loan is written off on ${before.writtenOff.writtenOffOn}, before ${command.writtenOffOn}`,
      { writtenOffOn: before.writtenOff.writtenOffOn },
    );
  }
  // Then the close of the write-off day itself (misses, penalty through it): this write-off
  // takes the place of one the policy would make that day.
  const closed = decideCloseOfBusiness({ kind: 'close-business-day', businessDate: command.writtenOffOn }, before).filter((e) => e.type !== 'LoanWrittenOff');
  const { writeOffId, writtenOffOn, reason } = command;
  return [...earlier, ...closed, writeOff([...earlier, ...closed].reduce(evolveLoan, state), { writeOffId, writtenOffOn, reason, automatic: false })];
}
