import { type BusinessDate, addDays } from '../../kernel/dates/business-date.js';
import { formatAmount } from '../../kernel/money/amount.js';
import { standingFrom } from '../../loans/domain/standing/loan-standing.js';
import { instalmentsFromJson } from '../../loans/domain/instalment-row.js';
import { type OverdueStatusRow, type PaymentSeen, standingFactsOfRow } from './overdue-status.fold.js';
import type { OverdueStatusDto } from './overdue-status.dto.js';

/** Any date before every loan's first due date: the standing of a loan with no schedule yet. */
const FIRST_BUSINESS_DATE = '1970-01-02';

/**
 * A loan's overdue status as of the last closed business date, by the one set of standing
 * rules (loan-standing.ts). Before any close of business nothing has fallen due: the
 * standing is taken on the day before the loan's first due date.
 */
export function toOverdueStatus(row: OverdueStatusRow, asOf: BusinessDate | null): OverdueStatusDto {
  const money = (minor: number) => formatAmount(minor, row.currency);
  const instalments = instalmentsFromJson(row.instalments);
  const payments: PaymentSeen[] = JSON.parse(row.payments);
  const facts = standingFactsOfRow({ ...row, instalments });
  const standing = standingFrom(facts, asOf ?? addDays(instalments[0]?.dueOn ?? FIRST_BUSINESS_DATE, -1));
  const { overdue } = standing;
  const lastPayment = payments.filter((p) => !p.reversed).at(-1);
  return {
    loanId: row.loan_id,
    borrowerId: row.borrower_id,
    currency: row.currency,
    status: row.status,
    asOf,
    daysPastDue: standing.daysPastDue,
    bucket: standing.bucket,
    classification: standing.classification,
    ifrs9Stage: standing.ifrs9Stage,
    overdue: { principal: money(overdue.principal), interest: money(overdue.interest), penalty: money(overdue.penalty), total: money(overdue.principal + overdue.interest + overdue.penalty) },
    principalOutstanding: money(Number(row.principal_outstanding)),
    oldestUnpaidDueOn: standing.oldestUnpaidDueOn ?? null,
    nextDue: standing.nextDue ? { dueOn: standing.nextDue.dueOn, amount: money(standing.nextDue.amount) } : null,
    lastPayment: lastPayment ? { on: lastPayment.on, amount: money(lastPayment.amount) } : null,
    timesReached: { dpd30: Number(row.times_30_dpd), dpd60: Number(row.times_60_dpd), dpd90: Number(row.times_90_dpd) },
    restructuringObservation: standing.inRestructuringObservation,
    recovered: money(Number(row.recovered)),
  };
}
