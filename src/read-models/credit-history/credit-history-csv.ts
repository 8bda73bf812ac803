import type { CreditHistory } from './credit-history.js';
import { toCsv } from '../../kernel/text/csv.js';

const COLUMNS = [
  'borrowerId',
  'borrowerName',
  'identityDocumentType',
  'identityDocumentNumber',
  'asOf',
  'loanId',
  'openedOn',
  'currency',
  'principal',
  'balance',
  'highestDaysPastDue',
  'episodesDpd30',
  'episodesDpd60',
  'episodesDpd90',
  'closedOn',
  'writtenOffOn',
  'pbocRepaymentString',
  'metro2AccountStatus',
  'metro2PaymentHistoryProfile',
] as const;

/** One row per loan, the same fields as the JSON; empty where the JSON has null. */
export function creditHistoryCsv(history: CreditHistory): string {
  return toCsv([
    [...COLUMNS],
    ...history.loans.map((loan) => [
      history.borrowerId,
      history.borrower?.name ?? '',
      history.borrower?.identityDocument?.type ?? '',
      history.borrower?.identityDocument?.number ?? '',
      history.asOf,
      loan.loanId,
      loan.openedOn,
      loan.currency,
      loan.principal,
      loan.balance,
      loan.highestDaysPastDue,
      loan.episodes.dpd30,
      loan.episodes.dpd60,
      loan.episodes.dpd90,
      loan.closedOn ?? '',
      loan.writtenOffOn ?? '',
      loan.pbocRepaymentString,
      loan.metro2AccountStatus,
      loan.metro2PaymentHistoryProfile,
    ]),
  ]);
}
