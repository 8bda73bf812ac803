import { LENDING_POLICY_PRESETS } from '../../../src/policies/lending-policy.js';
import type { LoanCommand } from '../../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../../src/loans/domain/loan-decider.js';
import type { LoanEvent } from '../../../src/loans/domain/loan-events.js';
import { RegulatoryReportBuilder } from '../../../src/read-models/regulatory-report/regulatory-report.js';
import { disburse, historyOf, originate, pay } from '../../fixtures/loans.js';
import { datesFrom } from '../../support/calendar.js';

const cob = (businessDate: string): LoanCommand => ({ kind: 'close-business-day', businessDate });
const fold = (events: readonly LoanEvent[]) => events.reduce(loanDecider.evolve, loanDecider.initialState());

/**
 * A late payment undoes an automatic write-off, and the loan, still past the limit, is
 * written off again the same day: the month's flows show both write-offs and the reversal
 * with what it undid, so what stays written off (write-offs less reversals) is one loan's.
 */
describe('write-offs undone in the regulator report', () => {
  it('counts a reversal with the amounts of the write-off it undoes', () => {
    const us = originate({ currency: 'USD', policy: LENDING_POLICY_PRESETS.us });
    const history = historyOf(us, disburse(), ...datesFrom('2026-02-16', '2026-07-01').map(cob));
    const writtenOffOn = fold(history).writtenOff!.writtenOffOn;
    const events = [...history, ...loanDecider.decide(pay('P1', '10.00', '2026-05-01'), fold(history))];
    expect(events.filter((e) => e.type === 'LoanWrittenOff')).toHaveLength(2);

    const report = new RegulatoryReportBuilder(writtenOffOn.slice(0, 8) + '30');
    for (const event of events) report.addLoanEvent('L1', event);
    const flows = report.build({ closeOfBusiness: writtenOffOn.slice(0, 8) + '30', lastPosition: 0 }).currencies[0]!.flows;
    const { count, principal, interest, penalty } = flows.writeOffs;
    expect(flows.corrections.writeOffReversals).toEqual({ count: 1, principal: '12000.00', interest: expect.any(String), penalty: expect.any(String) });
    expect(count - flows.corrections.writeOffReversals.count).toBe(1);
    expect(principal).toBe('24000.00');
    // What stays written off is the second write-off's: the first one's amounts are reversed in full.
    const second = events.filter((e) => e.type === 'LoanWrittenOff').at(-1)!.data as { interest: number; penalty: number };
    expect(Number(interest) - Number(flows.corrections.writeOffReversals.interest)).toBeCloseTo(second.interest / 100, 2);
    expect(Number(penalty) - Number(flows.corrections.writeOffReversals.penalty)).toBeCloseTo(second.penalty / 100, 2);
  });
});
