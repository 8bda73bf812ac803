import { BusinessRuleViolation, NotFoundError } from '../../kernel/errors/domain-error.js';
import type { ReversePenaltyWaiver } from './loan-commands.js';
import type { LoanEvent } from './loan-events.js';
import { assertNotBackdated, disbursed } from './loan-preconditions.js';
import type { LoanState } from './loan-state.js';
import { closeThroughDayBefore } from './decide-close-of-business.js';

/**
 * Undoes a penalty waiver granted in error: the penalty it waived is owed again, on the
 * instalments it was waived from. Dated like any decision (penalty through the day before
 * is posted first, nothing recorded after it precedes it); a paid-off loan that owes again
 * reopens. A written-off loan's penalty was written off with it: reverse the write-off first.
 */
export function decideWaiverReversal(command: ReversePenaltyWaiver, state: LoanState): LoanEvent[] {
  disbursed(state);
  const waiver = state.waivers.find((w) => w.waiverId === command.waiverId);
  if (!waiver) throw new NotFoundError('WAIVER.NOT_FOUND', `No penalty waiver ${command.waiverId} on this loan`, { waiverId: command.waiverId });
  if (waiver.reversed) throw new BusinessRuleViolation('WAIVER.ALREADY_REVERSED', `Penalty waiver ${command.waiverId} is already reversed`);
  if (command.reversedOn < waiver.waivedOn) {
    throw new BusinessRuleViolation('WAIVER.REVERSAL_BEFORE_WAIVER', `A reversal on ${command.reversedOn} precedes the waiver on ${waiver.waivedOn}`);
  }
  if (state.status === 'written-off') {
    throw new BusinessRuleViolation('LOAN.WRITTEN_OFF', 'The loan is written off, its penalty with it: reverse the write-off first');
  }
  assertNotBackdated(state, command.reversedOn, 'A waiver reversal', true);
  const closed = state.status === 'active' ? closeThroughDayBefore(state, command.reversedOn) : [];
  const reversed: LoanEvent = {
    type: 'PenaltyWaiverReversed',
    data: { waiverId: waiver.waiverId, reversedOn: command.reversedOn, reason: command.reason, amount: waiver.amount, instalments: waiver.instalments },
  };
  const reopened: LoanEvent[] =
    state.status === 'paid-off' ? [{ type: 'LoanReopened', data: { reopenedOn: command.reversedOn, reversedWaiverId: waiver.waiverId } }] : [];
  return [...closed, reversed, ...reopened];
}
