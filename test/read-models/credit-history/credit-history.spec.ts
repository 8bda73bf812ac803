import type { LoanCommand } from '../../../src/loans/domain/loan-commands.js';
import { creditHistoryLine } from '../../../src/read-models/credit-history/credit-history.js';
import { disburse, historyOf, originate, pay } from '../../fixtures/loans.js';

const cob = (businessDate: string): LoanCommand => ({ kind: 'close-business-day', businessDate });
const notYetOpen = (months: number) => '/'.repeat(months);
const noEarlierHistory = (months: number) => 'B'.repeat(months);

// The fixture loan: 12,000.00 CNY disbursed 2026-01-15, 1,100.16 due on the 15th from 2026-02-15.
describe('a credit history line', () => {
  // Pays February, misses March and April, cures on 2026-05-10, then pays on time.
  const cured = historyOf(
    originate(),
    disburse(),
    pay('P1', '1100.16', '2026-02-15'),
    cob('2026-02-28'),
    cob('2026-03-31'),
    cob('2026-04-30'),
    pay('P2', '3000.00', '2026-05-10'),
    pay('P3', '1100.16', '2026-05-15'),
    cob('2026-05-31'),
    // More than the instalment: the penalty of 1-10 May is still owed and is paid first.
    pay('P4', '1150.00', '2026-06-15'),
    cob('2026-06-30'),
  );

  it('codes each month by the days past due at its end: 16 days in March, 46 in April, cured in May', () => {
    const line = creditHistoryLine(cured, '2026-06')!;
    // 2024-07 … 2025-12 not open; January nothing due; February paid; March 1-30; April 31-60; May and June current.
    expect(line.pbocRepaymentString).toBe(`${notYetOpen(18)}*N12NN`);
    expect(line.pbocRepaymentString).toHaveLength(24);
    // Metro 2: the 24 months before June, most recent first; 46 days is the 30-59 band.
    expect(line.metro2PaymentHistoryProfile).toBe(`01000${noEarlierHistory(19)}`);
    expect(line.metro2AccountStatus).toBe('11');
  });

  it('keeps the highest days past due (2026-03-15 to the cure on 2026-05-10: 56) and one 30+ episode', () => {
    const line = creditHistoryLine(cured, '2026-06')!;
    expect(line.highestDaysPastDue).toBe(56);
    expect(line.episodes).toEqual({ dpd30: 1, dpd60: 0, dpd90: 0 });
    expect(line).toMatchObject({ loanId: 'L1', openedOn: '2026-01-15', principal: 1_200_000, currency: 'CNY', closedOn: undefined, writtenOffOn: undefined });
  });

  it('as of an earlier month shows only what had taken effect by its end', () => {
    const line = creditHistoryLine(cured, '2026-04')!;
    expect(line.pbocRepaymentString).toBe(`${notYetOpen(20)}*N12`);
    expect(line.metro2AccountStatus).toBe('71');
    expect(line.highestDaysPastDue).toBe(46);
    // Principal 12,000.00 − 920.16; interest fallen due of instalments 2 and 3, 166.20 + 152.19; penalty at 24%
    // on their principal 933.96 for 46 days (28.64) and 947.97 for 15 days (9.48). Interest not yet due is not owed.
    expect(line.balance).toBe(1_107_984 + 16_620 + 15_219 + 2_864 + 948);
  });

  it('is absent before the loan was disbursed', () => {
    expect(creditHistoryLine(cured, '2025-12')).toBeUndefined();
  });

  it('a loan written off on 2026-04-10 is B from April on, status 97, L in the profile', () => {
    const history = historyOf(originate(), disburse(), cob('2026-03-31'), { kind: 'write-off', writeOffId: 'WO-1', writtenOffOn: '2026-04-10', reason: 'uncollectable' });
    const line = creditHistoryLine(history, '2026-05')!;
    // February's end: 13 days past due; March's: 44.
    expect(line.pbocRepaymentString).toBe(`${notYetOpen(19)}*12BB`);
    expect(line.metro2AccountStatus).toBe('97');
    expect(line.metro2PaymentHistoryProfile).toBe(`L100${noEarlierHistory(20)}`);
    expect(line.writtenOffOn).toBe('2026-04-10');
    // The debt is still owed: days past due keep counting after the write-off, 2026-02-15 to 2026-05-31.
    expect(line.highestDaysPastDue).toBe(105);
  });

  it('a loan paid off on 2026-03-01 is C from March on, status 13, E in the profile', () => {
    const history = historyOf(originate(), disburse(), pay('P1', '1100.16', '2026-02-15'), pay('P2', '12000.00', '2026-03-01'));
    const line = creditHistoryLine(history, '2026-04')!;
    expect(line.pbocRepaymentString).toBe(`${notYetOpen(20)}*NCC`);
    expect(line.metro2AccountStatus).toBe('13');
    expect(line.metro2PaymentHistoryProfile).toBe(`E00${noEarlierHistory(21)}`);
    expect(line).toMatchObject({ closedOn: '2026-03-01', balance: 0, highestDaysPastDue: 0 });
  });

  it('counts the highest days past due in the order events took effect: a payment recorded late erases the days it covered', () => {
    // Twins of 6,000.00 at 12% over 6 months from 2024-01-15, each paying 1,035.29 on 02-17 (two days late):
    // A's payment is recorded that day, B's only after the close of 03-10.
    const loan = [
      originate({ principal: '6000.00', annualInterestRate: '0.12', termMonths: 6, originatedOn: '2024-01-10', riskDisclosure: { version: 'rd-1', acceptedAt: '2024-01-09T10:00:00+08:00' }, creditAssessment: { score: 700, grade: 'B', source: 'scorecard', assessedOn: '2024-01-09' } }),
      disburse({ disbursedOn: '2024-01-15' }),
    ];
    const onTime = historyOf(...loan, pay('P1', '1035.29', '2024-02-17'), cob('2024-03-10'), cob('2024-03-31'));
    const recordedLate = historyOf(...loan, cob('2024-03-10'), pay('P1', '1035.29', '2024-02-17'), cob('2024-03-31'));
    const [a, b] = [creditHistoryLine(onTime, '2024-03')!, creditHistoryLine(recordedLate, '2024-03')!];
    expect(a.highestDaysPastDue).toBe(16);
    expect(b.highestDaysPastDue).toBe(a.highestDaysPastDue);
    expect(creditHistoryLine(recordedLate, '2024-06')).toEqual(creditHistoryLine(onTime, '2024-06'));
  });
});
