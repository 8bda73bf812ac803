import { BusinessRuleViolation, NotFoundError } from '../../kernel/errors/domain-error.js';
import type { ReverseRestructuring } from './loan-commands.js';
import type { LoanEvent } from './loan-events.js';
import { disbursed } from './loan-preconditions.js';
import type { InstalmentState, LoanState } from './loan-state.js';

/**
 * Undoes the restructuring in force before anything depends on it: no payment, waiver,
 * miss or penalty recorded on its new schedule, its observation not ended, the loan still
 * active. The old instalments get back what was moved from them, with their penalty base
 * from its effective date (close of business catches the penalty up), the new schedule
 * goes, and the loan's standing before it (its delinquency episode, a restructuring in force
 * before it) is restored. Once something rests on the new schedule, reverse that first.
 */
export function decideRestructuringReversal(command: ReverseRestructuring, state: LoanState): LoanEvent[] {
  disbursed(state);
  const restructuring = state.restructuring;
  if (!restructuring || restructuring.restructuringId !== command.restructuringId) {
    throw new NotFoundError('RESTRUCTURING.NOT_IN_FORCE', `Restructuring ${command.restructuringId} is not the one in force on this loan`, {
      restructuringId: command.restructuringId,
    });
  }
  if (command.reversedOn < restructuring.effectiveOn) {
    throw new BusinessRuleViolation(
      'RESTRUCTURING.REVERSAL_BEFORE_EFFECTIVE',
      `A reversal on ${command.reversedOn} precedes the restructuring's effective date ${restructuring.effectiveOn}`,
    );
  }
  const newInstalments = state.instalments.filter((i) => restructuring.scheduleNumbers.includes(i.number));
  const touched = newInstalments.filter(recordedOn).map((i) => i.number);
  if (state.status !== 'active' || restructuring.observationEndedOn !== undefined || touched.length > 0) {
    throw new BusinessRuleViolation(
      'RESTRUCTURING.DEPENDED_ON',
      `Restructuring ${command.restructuringId} is depended on by what was recorded after it (${dependents(state, touched)}): reverse that first`,
      { instalments: touched },
    );
  }
  const previous = restructuring.before.restructuring;
  return [
    {
      type: 'RestructuringReversed',
      data: {
        restructuringId: restructuring.restructuringId,
        reversedOn: command.reversedOn,
        reason: command.reason,
        effectiveOn: restructuring.effectiveOn,
        movedFrom: restructuring.movedFrom,
        removedInstalments: restructuring.scheduleNumbers,
        restored: previous
          ? { restructuringId: previous.restructuringId, inObservation: previous.observationEndedOn === undefined, classBefore: previous.classBefore ?? null }
          : null,
      },
    },
  ];
}

/** Whether anything was recorded on an instalment of the new schedule: paid, missed, penalised or waived. */
function recordedOn(i: InstalmentState): boolean {
  return i.principalPaid + i.interestPaid + i.penaltyPaid + i.penaltyWaived + i.interestCancelled + i.principalRescheduled > 0 || i.missedOn !== undefined || i.penaltyAccruedThrough !== undefined;
}

function dependents(state: LoanState, touched: readonly number[]): string {
  if (state.status !== 'active') return `the loan is ${state.status}`;
  if (state.restructuring?.observationEndedOn !== undefined) return `its observation ended on ${state.restructuring.observationEndedOn}`;
  return `instalments ${touched.join(', ')}`;
}
