import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { InstalmentState, PrincipalMovement } from './loan-state.js';

/**
 * An instalment as a row of values rather than an object with named keys, as loan
 * snapshots and the read models that fold instalments keep it: close of business loads a
 * snapshot per overdue loan, a projection reads and writes a loan's row per event, and
 * the keys were most of their bytes (12 instalments: 1.2 KB as rows, 4.4 KB as objects).
 * Stored text is read back by position: a change here must bump loanSnapshotting's schema
 * and the versions of the overdue-status and COB work-index projections, so that what was
 * written before is rebuilt rather than misread.
 */
export type InstalmentRow = [
  number: number,
  dueOn: BusinessDate,
  principalDue: MinorUnits,
  interestDue: MinorUnits,
  penaltyDue: MinorUnits,
  principalPaid: MinorUnits,
  interestPaid: MinorUnits,
  penaltyPaid: MinorUnits,
  interestCancelled: MinorUnits,
  principalRescheduled: MinorUnits,
  principalRestructured: MinorUnits,
  interestRestructured: MinorUnits,
  penaltyRestructured: MinorUnits,
  penaltyWaived: MinorUnits,
  missedOn: BusinessDate | null,
  reopenedOn: BusinessDate | null,
  penaltyAccruedThrough: BusinessDate | null,
  penaltyNumerator: string,
  principalMovements: [on: BusinessDate, amount: MinorUnits][],
];

export const instalmentToRow = (i: InstalmentState): InstalmentRow => [
  i.number,
  i.dueOn,
  i.principalDue,
  i.interestDue,
  i.penaltyDue,
  i.principalPaid,
  i.interestPaid,
  i.penaltyPaid,
  i.interestCancelled,
  i.principalRescheduled,
  i.principalRestructured,
  i.interestRestructured,
  i.penaltyRestructured,
  i.penaltyWaived,
  i.missedOn ?? null,
  i.reopenedOn ?? null,
  i.penaltyAccruedThrough ?? null,
  i.penaltyNumerator,
  i.principalMovements.map((m) => [m.on, m.amount]),
];

export const instalmentFromRow = ([
  number,
  dueOn,
  principalDue,
  interestDue,
  penaltyDue,
  principalPaid,
  interestPaid,
  penaltyPaid,
  interestCancelled,
  principalRescheduled,
  principalRestructured,
  interestRestructured,
  penaltyRestructured,
  penaltyWaived,
  missedOn,
  reopenedOn,
  penaltyAccruedThrough,
  penaltyNumerator,
  movements,
]: InstalmentRow): InstalmentState => ({
  // Keys in sorted order, as instalmentFrom (loan-state.ts) says why.
  dueOn,
  interestCancelled,
  interestDue,
  interestPaid,
  interestRestructured,
  missedOn: missedOn ?? undefined,
  number,
  penaltyAccruedThrough: penaltyAccruedThrough ?? undefined,
  penaltyDue,
  penaltyNumerator,
  penaltyPaid,
  penaltyRestructured,
  penaltyWaived,
  principalDue,
  principalMovements: movements.map(([on, amount]): PrincipalMovement => ({ amount, on })),
  principalPaid,
  principalRescheduled,
  principalRestructured,
  reopenedOn: reopenedOn ?? undefined,
});

/** A loan's instalments as the JSON text a read model keeps in a column. */
export function instalmentsToJson(instalments: readonly InstalmentState[]): string {
  return JSON.stringify(instalments.map(instalmentToRow));
}

/** The instalments back from instalmentsToJson's text. */
export function instalmentsFromJson(text: string): InstalmentState[] {
  return (JSON.parse(text) as InstalmentRow[]).map(instalmentFromRow);
}
