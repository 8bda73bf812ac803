import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { LoanRestructuredData, PenaltyWaivedData } from '../../loans/domain/loan-events.js';
import type { PaymentAllocation } from '../../loans/domain/payment-allocation.js';
import type { ScheduledInstalment } from '../../loans/domain/scheduled-instalment.js';

/**
 * What is still owed on each instalment, kept by projections that must follow a loan's
 * balances without reading its stream: schedule in, allocations and penalties applied.
 */
export interface InstalmentBalance {
  readonly number: number;
  readonly dueOn: BusinessDate;
  readonly principal: MinorUnits;
  readonly interest: MinorUnits;
  readonly penalty: MinorUnits;
}

export function balancesFromSchedule(schedule: readonly ScheduledInstalment[]): InstalmentBalance[] {
  return schedule.map((line) => ({ number: line.number, dueOn: line.dueOn, principal: line.principal, interest: line.interest, penalty: 0 }));
}

/** Takes what a payment paid off the balances (direction 1), or puts it back on reversal (−1). */
export function applyAllocation(
  balances: readonly InstalmentBalance[],
  allocation: PaymentAllocation,
  direction: 1 | -1,
): InstalmentBalance[] {
  return balances.map((balance) => {
    const paid = allocation.instalments.find((a) => a.number === balance.number);
    const prepaid = allocation.prepaid.find((p) => p.number === balance.number);
    const rescheduled = allocation.reamortised?.instalments.find((r) => r.number === balance.number);
    if (!paid && !prepaid && !rescheduled) return balance;
    return {
      ...balance,
      principal: balance.principal - direction * ((paid?.principal ?? 0) + (prepaid?.principal ?? 0) + (rescheduled?.principal ?? 0)),
      interest: balance.interest - direction * ((paid?.interest ?? 0) + (prepaid?.interestCancelled ?? 0) + (rescheduled?.interest ?? 0)),
      penalty: balance.penalty - direction * (paid?.penalty ?? 0),
    };
  });
}

/** Adds penalty accrued, or the change of a penalty adjustment (negative when less was owed). */
export function applyPenalty(balances: readonly InstalmentBalance[], accrued: { readonly instalments: readonly { readonly number: number; readonly amount: number }[] }): InstalmentBalance[] {
  return balances.map((balance) => {
    const penalty = accrued.instalments.find((p) => p.number === balance.number);
    return penalty ? { ...balance, penalty: balance.penalty + penalty.amount } : balance;
  });
}

/** The old instalments give up what the restructuring moved; the new schedule follows, the first carrying what was kept due. */
export function applyRestructuring(balances: readonly InstalmentBalance[], restructured: LoanRestructuredData): InstalmentBalance[] {
  const old = balances.map((balance) => {
    const moved = restructured.movedFrom.find((m) => m.number === balance.number);
    return moved
      ? { ...balance, principal: balance.principal - moved.principal, interest: balance.interest - moved.interest, penalty: balance.penalty - moved.penalty }
      : balance;
  });
  const schedule = balancesFromSchedule(restructured.schedule);
  const { interest, penalty } = restructured.keptDue;
  return [...old, ...schedule.map((b, index) => (index === 0 ? { ...b, interest: b.interest + interest, penalty: b.penalty + penalty } : b))];
}

/** A write-off stops accrual for good: instalments not yet due owe no interest (as LoanState folds it). */
export function applyWriteOff(balances: readonly InstalmentBalance[], writtenOffOn: BusinessDate): InstalmentBalance[] {
  return balances.map((balance) => (balance.dueOn > writtenOffOn ? { ...balance, interest: 0 } : balance));
}

export function applyWaiver(balances: readonly InstalmentBalance[], waived: PenaltyWaivedData): InstalmentBalance[] {
  return balances.map((balance) => {
    const share = waived.instalments.find((w) => w.number === balance.number);
    return share ? { ...balance, penalty: balance.penalty - share.amount } : balance;
  });
}
