import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { Snapshotting } from '../../kernel/snapshotting.js';
import type { InstalmentState, LoanState, PaymentRecord, PrincipalMovement } from './loan-state.js';

/**
 * An instalment as a row of values rather than an object with named keys: close of
 * business loads a snapshot per overdue loan, and the keys were most of its bytes.
 */
type InstalmentRow = [
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

interface LoanSnapshot extends Omit<LoanState, 'instalments' | 'payments'> {
  readonly instalments: readonly InstalmentRow[];
  readonly payments: readonly PaymentRecord[];
}

const toRow = (i: InstalmentState): InstalmentRow => [
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

const fromRow = ([
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
  missedOn: missedOn ?? undefined,
  reopenedOn: reopenedOn ?? undefined,
  penaltyAccruedThrough: penaltyAccruedThrough ?? undefined,
  penaltyNumerator,
  principalMovements: movements.map(([on, amount]): PrincipalMovement => ({ on, amount })),
});

/**
 * A loan's state as JSON. Bump the schema with any change to LoanState or to how
 * evolveLoan builds it (test/loans/loan-snapshot.spec.ts checks the round trip).
 */
export const loanSnapshotting: Snapshotting<LoanState> = {
  schema: 'loan-state/7',
  // Close of business appends about one event a day to an overdue loan: a snapshot a week.
  everyEvents: 8,
  toSnapshot: (state): LoanSnapshot => ({ ...state, instalments: state.instalments.map(toRow), payments: [...state.payments.values()] }),
  fromSnapshot: (snapshot) => {
    const { instalments, payments, ...rest } = snapshot as LoanSnapshot;
    return {
      ...rest,
      instalments: instalments.map(fromRow),
      payments: new Map(payments.map((payment) => [payment.paymentId, payment])),
    };
  },
};
