import { type BusinessDate, addDays } from '../../kernel/dates/business-date.js';
import type { CloseBusinessDay } from './loan-commands.js';
import type { LoanEvent } from './loan-events.js';
import { originated } from './loan-preconditions.js';
import { type InstalmentState, type LoanState, evolveLoan, interestOutstanding, principalOutstanding } from './loan-state.js';
import { daysPastDue, oldestUnpaidDueOn } from './days-past-due.js';
import { accruePenalty } from './penalty-accrual.js';
import { restructuringObservationEndsOn } from './restructuring-observation.js';
import { writeOff } from './loan-write-off.js';
import { penaltyRateInForce } from './rates-in-force.js';
import { DELINQUENCY_THRESHOLDS, thresholdReachedOn } from './delinquency-episode.js';

/**
 * Close of business for one loan on `businessDate`: instalments whose grace period has
 * ended unpaid are missed (once, dated the day the grace ended), penalty accrues for the
 * days since the last accrual, and reaching 30, 60 or 90 days past due is recorded once
 * per delinquency episode; under a policy with a DPD limit, the loan is written off on the
 * first day beyond it. Every date recorded follows from the schedule, not from when COB
 * happened to run, so a catch-up over several days records what daily runs would.
 */
export function decideCloseOfBusiness(command: CloseBusinessDay, state: LoanState): LoanEvent[] {
  const terms = originated(state);
  if (state.status !== 'active') return [];
  // Under a policy that writes off past a DPD limit, the loan's days end on the first day
  // beyond it: what the close of that day would have done, it does, dated then.
  const oldest = oldestUnpaidDueOn(state.instalments);
  const limit = terms.policy.writeOffAfterDaysPastDue;
  const writeOffOn = limit !== undefined && oldest !== undefined ? thresholdReachedOn(state, oldest, limit + 1) : undefined;
  const on = writeOffOn !== undefined && writeOffOn < command.businessDate ? writeOffOn : command.businessDate;
  // An instalment is missed once its due date + grace days is on or before the business date,
  // and not before a reversal made it owe again: until then it was paid.
  const missedOn = (i: InstalmentState) => {
    const graceEnds = addDays(i.dueOn, terms.gracePeriodDays);
    return i.reopenedOn !== undefined && i.reopenedOn > graceEnds ? i.reopenedOn : graceEnds;
  };
  const missed: LoanEvent[] = state.instalments
    .filter((i) => i.missedOn === undefined && missedOn(i) <= on && principalOutstanding(i) + interestOutstanding(i) > 0)
    .map((i) => ({
      type: 'InstalmentMissed',
      data: {
        number: i.number,
        dueOn: i.dueOn,
        missedOn: missedOn(i),
        principalOutstanding: principalOutstanding(i),
        interestOutstanding: interestOutstanding(i),
      },
    }));
  const afterMissed = missed.reduce(evolveLoan, state);
  const penalty = accruePenalty(afterMissed.instalments, on, penaltyRateInForce(state), terms.policy.rounding);
  const events = penalty ? [...missed, { type: 'PenaltyAccrued', data: penalty } as LoanEvent] : missed;
  const observationEnd = restructuringObservationEndsOn(state, on);
  if (observationEnd && observationEnd <= on) {
    events.push({ type: 'RestructuringObservationEnded', data: { restructuringId: state.restructuring!.restructuringId, endedOn: observationEnd } });
  }

  const dpd = daysPastDue(state.instalments, on);
  for (const threshold of DELINQUENCY_THRESHOLDS) {
    if (oldest === undefined || dpd < threshold || state.delinquencyThreshold >= threshold) continue;
    events.push({
      type: 'DelinquencyThresholdReached',
      data: { threshold, reachedOn: thresholdReachedOn(state, oldest, threshold), oldestUnpaidDueOn: oldest },
    });
  }
  if (writeOffOn !== undefined && writeOffOn <= command.businessDate) {
    const before = events.reduce(evolveLoan, state);
    events.push(writeOff(before, { writeOffId: `cob:${on}`, writtenOffOn: on, reason: `more than ${limit} days past due`, automatic: true }));
  }
  return events;
}


/**
 * What close of business would have recorded through the day before `day`, had it run
 * every day: a payment, a write-off or a payoff quote on `day` starts from there, so the
 * books do not depend on when close of business last ran.
 */
export function closeThroughDayBefore(state: LoanState, day: BusinessDate): LoanEvent[] {
  return decideCloseOfBusiness({ kind: 'close-business-day', businessDate: addDays(day, -1) }, state);
}
