import type { LoanCommand } from '../../../src/loans/domain/loan-commands.js';
import { overdueStatusRowOf } from '../../../src/read-models/overdue-status/overdue-status.fold.js';
import { disburse, historyOf, originate, pay } from '../../fixtures/loans.js';
import { datesFrom } from '../../support/calendar.js';

/**
 * `recovered` in the overdue status is what came in after write-off and still stands: a
 * recovery that bounced (its payment reversed) comes out of it again; a payment reversed
 * before the write-off never was in it. The fixture loan: 12,000.00 CNY at 18% over 12
 * months, 1,100.16 due the 15th from 2026-02-15.
 */
const closes = (from: string, to: string): LoanCommand[] => datesFrom(from, to).map((businessDate) => ({ kind: 'close-business-day', businessDate }));
const reverse = (paymentId: string, reversedOn: string): LoanCommand => ({ kind: 'reverse-payment', paymentId, reason: 'bounced', reversedOn });
const writeOff: LoanCommand = { kind: 'write-off', writeOffId: 'WO1', writtenOffOn: '2026-06-20', reason: 'uncollectable' };
const recoveredAfter = (...commands: LoanCommand[]) => overdueStatusRowOf(historyOf(originate(), disburse(), ...commands))!.recovered;

describe('overdue status: recovered', () => {
  it('counts what came in after write-off', () => {
    expect(recoveredAfter(...closes('2026-02-16', '2026-06-19'), writeOff, pay('R1', '500.00', '2026-06-22'), pay('R2', '20.00', '2026-06-23'))).toBe(52_000);
  });

  it('takes a reversed recovery out again, and only that one', () => {
    const recovered = [...closes('2026-02-16', '2026-06-19'), writeOff, pay('R1', '500.00', '2026-06-22'), pay('R2', '20.00', '2026-06-23')];
    expect(recoveredAfter(...recovered, reverse('R1', '2026-06-24'))).toBe(2_000);
    expect(recoveredAfter(...recovered, reverse('R1', '2026-06-24'), reverse('R2', '2026-06-25'))).toBe(0);
  });

  it('is untouched by a payment reversed before the write-off', () => {
    const history = [pay('P1', '1100.16', '2026-02-15'), reverse('P1', '2026-02-20'), ...closes('2026-02-16', '2026-06-19'), writeOff, pay('R1', '500.00', '2026-06-22')];
    expect(recoveredAfter(...history)).toBe(50_000);
  });
});
