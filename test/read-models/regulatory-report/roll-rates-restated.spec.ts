import type { LoanCommand } from '../../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../../src/loans/domain/loan-decider.js';
import type { LoanEvent } from '../../../src/loans/domain/loan-events.js';
import { RegulatoryReportBuilder } from '../../../src/read-models/regulatory-report/regulatory-report.js';
import { disburse, historyOf, originate, pay } from '../../fixtures/loans.js';

const cob = (businessDate: string): LoanCommand => ({ kind: 'close-business-day', businessDate });

/**
 * Roll rates reconcile with the previous month's report: each loan rolls from the bucket
 * that report showed for it; a correction recorded since (here a payment recorded after the
 * May close, dated before it) is shown apart, as a restatement, not folded silently into
 * the rolls.
 */
describe('roll rates and their restatement', () => {
  // The fixture loan (12,000.00 at 18%, 1,100.16 due the 15th from 2026-02-15), never paid by the May close: 105 days past due, M4.
  const mayClose = historyOf(originate(), disburse(), cob('2026-05-31'));
  const previousReportPosition = mayClose.length - 1;
  let state = mayClose.reduce(loanDecider.evolve, loanDecider.initialState());
  const later: LoanEvent[] = [];
  for (const command of [pay('P1', '5000.00', '2026-05-20'), cob('2026-06-30')]) {
    const decided = loanDecider.decide(command, state);
    later.push(...decided);
    state = decided.reduce(loanDecider.evolve, state);
  }
  const june = (knownThen: number | undefined) => {
    const builder = new RegulatoryReportBuilder('2026-06-30', knownThen);
    [...mayClose, ...later].forEach((event, position) => builder.addLoanEvent('L1', event, position));
    return builder.build({ closeOfBusiness: '2026-06-30', lastPosition: mayClose.length + later.length - 1 }).currencies[0]!;
  };
  const rolledFrom = (report: ReturnType<typeof june>) =>
    report.rollRates.flatMap(({ from, to }) => to.filter((cell) => cell.loans > 0).map((cell) => ({ from, to: cell.to, loans: cell.loans })));

  it('rolls each loan from the bucket the previous report showed, and shows the correction since as a restatement', () => {
    const report = june(previousReportPosition);
    // The payment of 05-20 (recorded in June) paid instalments 1–4 and part of 5: 15 days past due on 06-30.
    expect(rolledFrom(report)).toEqual([{ from: 'M4', to: 'M1', loans: 1 }]);
    expect(report.restatedPreviousMonthEnd).toEqual([{ reported: 'M4', now: 'C', loans: 1, principal: expect.any(String) }]);
  });

  it('without a previous report to reconcile with, rolls from what is known now and restates nothing', () => {
    const report = june(undefined);
    expect(rolledFrom(report)).toEqual([{ from: 'C', to: 'M1', loans: 1 }]);
    expect(report.restatedPreviousMonthEnd).toEqual([]);
  });
});
