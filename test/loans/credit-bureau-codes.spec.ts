import { metro2AccountStatus, metro2PaymentHistoryCode, pbocRepaymentCode } from '../../src/loans/domain/standing/credit-bureau-codes.js';
import type { LoanStanding } from '../../src/loans/domain/standing/loan-standing.js';

const open = (daysPastDue: number): Pick<LoanStanding, 'account' | 'daysPastDue'> => ({ account: 'open', daysPastDue });
const closed = (account: LoanStanding['account']): Pick<LoanStanding, 'account' | 'daysPastDue'> => ({ account, daysPastDue: 0 });

describe('bureau codes at the boundaries of DESIGN.md §3', () => {
  it.each([
    [0, true, 'N'],
    [0, false, '*'],
    [1, true, '1'],
    [30, true, '1'],
    [31, true, '2'],
    [60, true, '2'],
    [61, true, '3'],
    [150, true, '5'],
    [151, true, '6'],
    [180, true, '6'],
    [181, true, '7'],
    [400, true, '7'],
  ])('PBOC: %i days past due (something due in the month: %s) is %s', (dpd, fellDue, code) => {
    expect(pbocRepaymentCode(open(dpd), fellDue)).toBe(code);
  });

  it.each([
    [0, '11', '0'],
    [29, '11', '0'],
    [30, '71', '1'],
    [59, '71', '1'],
    [60, '78', '2'],
    [90, '80', '3'],
    [120, '82', '4'],
    [150, '83', '5'],
    [179, '83', '5'],
    [180, '84', '6'],
    [400, '84', '6'],
  ])('Metro 2: %i days past due is status %s, profile %s', (dpd, status, profile) => {
    expect(metro2AccountStatus(open(dpd))).toBe(status);
    expect(metro2PaymentHistoryCode(open(dpd))).toBe(profile);
  });

  it('settled, written off and not yet open', () => {
    expect([pbocRepaymentCode(closed('paid-off'), true), metro2AccountStatus(closed('paid-off')), metro2PaymentHistoryCode(closed('paid-off'))]).toEqual(['C', '13', 'E']);
    expect([pbocRepaymentCode(closed('written-off'), true), metro2AccountStatus(closed('written-off')), metro2PaymentHistoryCode(closed('written-off'))]).toEqual(['B', '97', 'L']);
    expect([pbocRepaymentCode(closed('not-open'), false), metro2PaymentHistoryCode(closed('not-open'))]).toEqual(['/', 'B']);
  });
});
