import { BusinessRuleViolation, NotFoundError } from '../../kernel/errors/domain-error.js';
import type { ReverseWriteOff } from './loan-commands.js';
import type { LoanEvent } from './loan-events.js';
import { disbursed } from './loan-preconditions.js';
import type { LoanState } from './loan-state.js';

/**
 * Undoes a write-off recorded in error, or one that a payment found later shows should not
 * have happened: the loan is active again and owes what it owed, the interest not yet due
 * that the write-off cancelled included; penalty resumes at the next close of business from
 * where it stopped. Recoveries received since are reversed first: they were allocated as
 * recoveries, not as payments of the schedule.
 *
 * A late payment that predates the write-off is then recorded as received (the loan's last
 * decision is again the one before the write-off); under a policy with a days-past-due
 * limit, close of business writes the loan off again if the payment did not bring it back.
 */
export function decideWriteOffReversal(command: ReverseWriteOff, state: LoanState): LoanEvent[] {
  disbursed(state);
  const writtenOff = state.writtenOff;
  if (!writtenOff || writtenOff.writeOffId !== command.writeOffId) {
    throw new NotFoundError('WRITE_OFF.NOT_FOUND', `Write-off ${command.writeOffId} is not in force on this loan`, { writeOffId: command.writeOffId });
  }
  if (command.reversedOn < writtenOff.writtenOffOn) {
    throw new BusinessRuleViolation(
      'WRITE_OFF.REVERSAL_BEFORE_WRITE_OFF',
      `A reversal on ${command.reversedOn} precedes the write-off on ${writtenOff.writtenOffOn}`,
    );
  }
  const recoveries = [...state.payments.values()].filter((p) => p.recovery && !p.reversed).map((p) => p.paymentId);
  if (recoveries.length > 0) {
    throw new BusinessRuleViolation('WRITE_OFF.RECOVERIES_STAND', `Reverse the recoveries received since the write-off first: ${recoveries.join(', ')}`, {
      recoveryPaymentIds: recoveries,
    });
  }
  return [
    {
      type: 'WriteOffReversed',
      data: { writeOffId: writtenOff.writeOffId, reversedOn: command.reversedOn, reason: command.reason, interestNotYetDue: writtenOff.interestNotYetDue },
    },
  ];
}
