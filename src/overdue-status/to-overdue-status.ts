import { type BusinessDate, daysBetween } from '../kernel/dates/business-date.js';
import { formatAmount } from '../kernel/money/amount.js';
import { bucketOf } from '../loans/domain/overdue/delinquency-bucket.js';
import { fiveCategoryClassOf, ifrs9StageOf } from '../loans/domain/overdue/risk-classification.js';
import type { InstalmentBalance } from '../projections/instalment-balances/instalment-balances.js';
import { NOTHING_UNPAID, type OverdueStatusRow, type PaymentSeen } from '../projections/overdue-status/overdue-status.projection.js';
import type { OverdueStatusDto } from './overdue-status.dto.js';

/**
 * A loan's overdue status as of the last closed business date. Before any close of
 * business nothing is past due. Penalty only ever accrues on overdue instalments, so all
 * of it counts as overdue.
 */
export function toOverdueStatus(row: OverdueStatusRow, asOf: BusinessDate | null): OverdueStatusDto {
  const money = (minor: number) => formatAmount(minor, row.currency);
  const balances: InstalmentBalance[] = JSON.parse(row.balances);
  const payments: PaymentSeen[] = JSON.parse(row.payments);
  const unpaidSince = row.unpaid_since === NOTHING_UNPAID ? null : row.unpaid_since;
  const daysPastDue = asOf && unpaidSince && row.status === 'active' ? Math.max(0, daysBetween(unpaidSince, asOf)) : 0;
  const pastDue = balances.filter((b) => asOf !== null && b.dueOn < asOf);
  const principal = pastDue.reduce((s, b) => s + b.principal, 0);
  const interest = pastDue.reduce((s, b) => s + b.interest, 0);
  const penalty = balances.reduce((s, b) => s + b.penalty, 0);
  const next = balances.find((b) => (asOf === null || b.dueOn >= asOf) && b.principal + b.interest > 0);
  const lastPayment = payments.filter((p) => !p.reversed).at(-1);
  const standing = {
    daysPastDue,
    writtenOff: row.status === 'written-off',
    inRestructuringObservation: Number(row.in_restructuring_observation) === 1,
  };
  return {
    loanId: row.loan_id,
    borrowerId: row.borrower_id,
    currency: row.currency,
    status: row.status,
    asOf,
    daysPastDue,
    bucket: bucketOf(daysPastDue),
    classification: fiveCategoryClassOf(standing),
    ifrs9Stage: ifrs9StageOf(standing),
    overdue: { principal: money(principal), interest: money(interest), penalty: money(penalty), total: money(principal + interest + penalty) },
    principalOutstanding: money(Number(row.principal_outstanding)),
    oldestUnpaidDueOn: unpaidSince,
    nextDue: next ? { dueOn: next.dueOn, amount: money(next.principal + next.interest + next.penalty) } : null,
    lastPayment: lastPayment ? { on: lastPayment.on, amount: money(lastPayment.amount) } : null,
    timesReached: { dpd30: Number(row.times_30_dpd), dpd60: Number(row.times_60_dpd), dpd90: Number(row.times_90_dpd) },
    restructuringObservation: standing.inRestructuringObservation,
    recovered: money(Number(row.recovered)),
  };
}
