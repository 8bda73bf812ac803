import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { Snapshotting } from '../../kernel/snapshotting.js';
import { type InstalmentRow, instalmentFromRow, instalmentToRow } from './instalment-row.js';
import type { LoanState, PaymentRecord } from './loan-state.js';
import type { PaymentAllocation } from './payment-allocation.js';
import type { PrepaymentOption } from './prepayment-option.js';

/**
 * A payment as a row of values too: a loan repaid in thousands of small payments keeps a
 * record of each (its allocation is what a reversal takes back), and with named keys they
 * made the snapshot four times the size, and its first read after a restart slow to parse.
 */
type PaymentRow = [
  paymentId: string,
  amount: MinorUnits,
  receivedOn: BusinessDate,
  reversed: 0 | 1,
  recovery: 0 | 1,
  instalments: [number: number, penalty: MinorUnits, interest: MinorUnits, principal: MinorUnits][],
  prepaid: [number: number, principal: MinorUnits, interestCancelled: MinorUnits][],
  overpayment: MinorUnits,
  reamortised: [option: PrepaymentOption, instalments: [number: number, principal: MinorUnits, interest: MinorUnits][]] | null,
];

interface LoanSnapshot extends Omit<LoanState, 'instalments' | 'payments'> {
  readonly instalments: readonly InstalmentRow[];
  readonly payments: readonly PaymentRow[];
}

const toPaymentRow = ({ paymentId, amount, receivedOn, reversed, recovery, allocation }: PaymentRecord): PaymentRow => [
  paymentId,
  amount,
  receivedOn,
  reversed ? 1 : 0,
  recovery ? 1 : 0,
  allocation.instalments.map((a) => [a.number, a.penalty, a.interest, a.principal]),
  allocation.prepaid.map((p) => [p.number, p.principal, p.interestCancelled]),
  allocation.overpayment,
  allocation.reamortised ? [allocation.reamortised.option, allocation.reamortised.instalments.map((r) => [r.number, r.principal, r.interest])] : null,
];

const fromPaymentRow = ([paymentId, amount, receivedOn, reversed, recovery, instalments, prepaid, overpayment, reamortised]: PaymentRow): PaymentRecord => {
  const allocation: PaymentAllocation = {
    instalments: instalments.map(([number, penalty, interest, principal]) => ({ number, penalty, interest, principal })),
    prepaid: prepaid.map(([number, principal, interestCancelled]) => ({ number, principal, interestCancelled })),
    overpayment,
    ...(reamortised && { reamortised: { option: reamortised[0], instalments: reamortised[1].map(([number, principal, interest]) => ({ number, principal, interest })) } }),
  };
  return { paymentId, amount, receivedOn, allocation, reversed: reversed === 1, recovery: recovery === 1 };
};

/**
 * A loan's state as JSON. Bump the schema with any change to LoanState or to how
 * evolveLoan builds it (test/loans/loan-snapshot.spec.ts checks the round trip).
 */
export const loanSnapshotting: Snapshotting<LoanState> = {
  schema: 'loan-state/8',
  // Close of business appends about one event a day to an overdue loan: a snapshot a week.
  everyEvents: 8,
  toSnapshot: (state): LoanSnapshot => ({ ...state, instalments: state.instalments.map(instalmentToRow), payments: [...state.payments.values()].map(toPaymentRow) }),
  fromSnapshot: (snapshot) => {
    const { instalments, payments, ...rest } = snapshot as LoanSnapshot;
    return {
      ...rest,
      instalments: instalments.map(instalmentFromRow),
      payments: new Map(payments.map((row) => [row[0], fromPaymentRow(row)])),
    };
  },
};
