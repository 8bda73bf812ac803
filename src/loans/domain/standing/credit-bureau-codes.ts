import type { LoanStanding } from './loan-standing.js';

/** What the bureau codes are judged from. */
type BureauStanding = Pick<LoanStanding, 'account' | 'daysPastDue'>;

/**
 * Monthly codes of the two bureau formats (DESIGN.md §3), each judged from the loan's
 * standing at the month's end.
 *
 * PBOC 征信 repayment status: `/` not yet open, `*` nothing fell due that month, `N`
 * current with a payment due, `1`–`7` for 1–30 … more than 180 days past due, `C`
 * settled, `B` written off (bad debt).
 */
export function pbocRepaymentCode(standing: BureauStanding, somethingFellDueInMonth: boolean): string {
  switch (standing.account) {
    case 'not-open':
      return '/';
    case 'written-off':
      return 'B';
    case 'paid-off':
      return 'C';
    case 'open':
      if (standing.daysPastDue > 0) return String(Math.min(7, Math.ceil(standing.daysPastDue / 30)));
      return somethingFellDueInMonth ? 'N' : '*';
  }
}

/** Metro 2 account status: 11 current (0–29 days), 71/78/80/82/83/84 from 30/60/90/120/150/180 days, 13 paid, 97 charged off. */
export function metro2AccountStatus(standing: BureauStanding): string {
  switch (standing.account) {
    case 'written-off':
      return '97';
    case 'paid-off':
      return '13';
    default:
      return ['11', '71', '78', '80', '82', '83', '84'][thirtyDayBand(standing.daysPastDue)]!;
  }
}

/** Metro 2 payment history profile character: `0`–`6` by 30-day band, `B` before the account opened, `L` charge-off, `E` zero balance and current. */
export function metro2PaymentHistoryCode(standing: BureauStanding): string {
  switch (standing.account) {
    case 'not-open':
      return 'B';
    case 'written-off':
      return 'L';
    case 'paid-off':
      return 'E';
    case 'open':
      return String(thirtyDayBand(standing.daysPastDue));
  }
}

/** 0 for 0–29 days past due, 1 for 30–59 … 6 for 180 and more. */
function thirtyDayBand(daysPastDue: number): number {
  return Math.min(6, Math.floor(daysPastDue / 30));
}
