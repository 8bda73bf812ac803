import fc from 'fast-check';
import type { CloseBusinessDay, LoanCommand, ReceivePayment } from '../../src/loans/domain/loan-commands.js';
import { decideBackdatedPayment } from '../../src/loans/domain/decide-backdated-payment.js';
import { decideCloseOfBusiness } from '../../src/loans/domain/decide-close-of-business.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import type { LoanEvent } from '../../src/loans/domain/loan-events.js';
import { loanSnapshotting } from '../../src/loans/domain/loan-snapshot.js';
import type { LoanState } from '../../src/loans/domain/loan-state.js';
import { disburse, historyOf, originate, pay } from '../fixtures/loans.js';
import { datesFrom } from '../support/calendar.js';

const cob = (businessDate: string): LoanCommand => ({ kind: 'close-business-day', businessDate });
const fold = (events: readonly LoanEvent[]): LoanState => events.reduce(loanDecider.evolve, loanDecider.initialState());
const days = datesFrom;
const comparable = (state: LoanState) => loanSnapshotting.toSnapshot(state);

// The fixture loan: instalment 1 (920.16 + 180.00) due 2026-02-15, 3 grace days, penalty 24%.
describe('a payment recorded after close of business passed its day', () => {
  it('ends exactly where the on-time payment would have: penalty adjusted day by day, both stories kept', () => {
    const onTime = historyOf(originate(), disburse(), ...days('2026-02-16', '2026-02-19').map(cob), pay('P1', '1200.00', '2026-02-20'), ...days('2026-02-20', '2026-03-02').map(cob));
    const recordedLate = historyOf(originate(), disburse(), ...days('2026-02-16', '2026-03-02').map(cob));
    const compensation = loanDecider.decide(pay('P1', '1200.00', '2026-02-20'), fold(recordedLate));

    expect(comparable(fold([...recordedLate, ...compensation]))).toEqual(comparable(fold(onTime)));
    expect(compensation.map((e) => e.type)).toEqual(['PaymentReceived', ...Array(11).fill('PenaltyAdjusted')]);
    // Each day from the 20th the late story charged 920.16 × 24% / 360 = 0.61 a day that the on-time story did not.
    const adjustments = compensation.filter((e): e is Extract<LoanEvent, { type: 'PenaltyAdjusted' }> => e.type === 'PenaltyAdjusted');
    expect(adjustments.map((e) => e.data.adjustedOn)).toEqual(days('2026-02-20', '2026-03-02'));
    expect(adjustments.reduce((sum, e) => sum + e.data.amount, 0)).toBe(-(Math.round((92_016 * 0.24 * 15) / 360) - Math.round((92_016 * 0.24 * 4) / 360)));
    expect(adjustments.every((e) => e.data.paymentId === 'P1')).toBe(true);
    // The allocation is the on-time one: the penalty owed through the 19th, not through March 2.
    const received = compensation[0] as Extract<LoanEvent, { type: 'PaymentReceived' }>;
    expect(received.data.allocation.instalments[0]).toMatchObject({ number: 1, penalty: Math.round((92_016 * 0.24 * 4) / 360) });
  });

  it('a payment within the grace days cures the miss recorded after it and charges no penalty at all', () => {
    const recordedLate = historyOf(originate(), disburse(), ...days('2026-02-16', '2026-02-25').map(cob));
    const onTime = historyOf(originate(), disburse(), cob('2026-02-16'), pay('P1', '1100.16', '2026-02-17'), ...days('2026-02-17', '2026-02-25').map(cob));
    const compensation = loanDecider.decide(pay('P1', '1100.16', '2026-02-17'), fold(recordedLate));
    expect(compensation[0]).toEqual({ type: 'InstalmentMissCured', data: { number: 1, dueOn: '2026-02-15', missedOn: '2026-02-18', paymentId: 'P1' } });
    const after = fold([...recordedLate, ...compensation]);
    expect(comparable(after)).toEqual(comparable(fold(onTime)));
    expect(after.instalments[0]).toMatchObject({ missedOn: undefined, penaltyDue: 0 });
  });

  it('withdraws the 30-day episode the payment would have prevented', () => {
    const recordedLate = historyOf(originate(), disburse(), ...days('2026-02-16', '2026-03-20').map(cob));
    expect(recordedLate.filter((e) => e.type === 'DelinquencyThresholdReached')).toHaveLength(1);
    const compensation = loanDecider.decide(pay('P1', '1200.00', '2026-03-10'), fold(recordedLate));
    expect(compensation.filter((e) => e.type === 'DelinquencyThresholdWithdrawn')).toEqual([
      { type: 'DelinquencyThresholdWithdrawn', data: { threshold: 30, reachedOn: '2026-03-17', paymentId: 'P1' } },
    ]);
    const onTime = historyOf(originate(), disburse(), ...days('2026-02-16', '2026-03-09').map(cob), pay('P1', '1200.00', '2026-03-10'), ...days('2026-03-10', '2026-03-20').map(cob));
    expect(comparable(fold([...recordedLate, ...compensation]))).toEqual(comparable(fold(onTime)));
  });

  it('a partial payment keeps the miss and the episode, and only lowers the penalty base', () => {
    const recordedLate = historyOf(originate(), disburse(), ...days('2026-02-16', '2026-03-01').map(cob));
    const onTime = historyOf(originate(), disburse(), ...days('2026-02-16', '2026-02-21').map(cob), pay('P1', '500.00', '2026-02-22'), ...days('2026-02-22', '2026-03-01').map(cob));
    const compensation = loanDecider.decide(pay('P1', '500.00', '2026-02-22'), fold(recordedLate));
    expect(compensation.some((e) => e.type === 'InstalmentMissCured')).toBe(false);
    expect(comparable(fold([...recordedLate, ...compensation]))).toEqual(comparable(fold(onTime)));
  });

  it('is refused when a servicing decision took effect after its day', () => {
    const history = historyOf(originate(), disburse(), ...days('2026-02-16', '2026-02-25').map(cob), pay('P1', '100.00', '2026-02-24'));
    expect(() => loanDecider.decide(pay('P2', '100.00', '2026-02-20'), fold(history))).toThrow(expect.objectContaining({ code: 'LOAN.BACKDATED' }));
  });
});

describe('a late-recorded payment, for any day, amount and delay', () => {
  it('compensates to exactly the loan the on-time payment gives', () => {
    const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1_400_000 }), (paidAfter, delay, cents) => {
        const receivedOn = addDays('2026-02-16', paidAfter);
        const closedThrough = addDays(receivedOn, delay);
        const amount = (cents / 100).toFixed(2);
        const before = days('2026-02-16', addDays(receivedOn, -1)).map(cob);
        const onTime = historyOf(originate(), disburse(), ...before, pay('P1', amount, receivedOn), ...days(receivedOn, closedThrough).map(cob));
        const late = historyOf(originate(), disburse(), ...days('2026-02-16', closedThrough).map(cob));
        const compensation = loanDecider.decide(pay('P1', amount, receivedOn), fold(late));
        expect(comparable(fold([...late, ...compensation]))).toEqual(comparable(fold(onTime)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('bounded work for a payment recorded a long time after its day', () => {
  // Closed every day for a year and more: instalments 1-12 all missed, penalty accruing daily.
  const recordedLate = historyOf(originate(), disburse(), ...days('2026-02-16', '2027-02-20').map(cob));
  const state = fold(recordedLate);

  it('reconciles a year in one catch-up close, ending where daily closes after the on-time payment end', () => {
    const closes: string[] = [];
    const counting = {
      receivePayment: (command: ReceivePayment, s: LoanState) => [...loanDecider.decide(command, s)],
      closeBusinessDay: (command: CloseBusinessDay, s: LoanState) => (closes.push(command.businessDate), decideCloseOfBusiness(command, s)),
    };
    const payment = pay('P1', '5000.00', '2026-02-20');
    const compensation = decideBackdatedPayment(payment, state, counting);
    expect(closes).toEqual(['2027-02-20']);
    const onTime = historyOf(originate(), disburse(), ...days('2026-02-16', '2026-02-19').map(cob), payment, ...days('2026-02-20', '2027-02-20').map(cob));
    expect(comparable(fold([...recordedLate, ...compensation]))).toEqual(comparable(fold(onTime)));
    // One adjustment per day it corrects, so the loan as of any day between is right too.
    expect(compensation.filter((e) => e.type === 'PenaltyAdjusted')).toHaveLength(366);
  });

  it('refuses a payment more than the backdating limit before the last close, appending nothing', () => {
    // 2027-02-20 is the last close: 366 days back is 2026-02-19, the earliest accepted.
    expect(() => loanDecider.decide(pay('P1', '100.00', '2026-02-18'), state)).toThrow(
      expect.objectContaining({ code: 'PAYMENT.BACKDATED_TOO_FAR', details: { limitDays: 366, lastClosedOn: '2027-02-20', earliestAccepted: '2026-02-19' } }),
    );
    expect(loanDecider.decide(pay('P1', '100.00', '2026-02-19'), state)[0]).toMatchObject({ type: 'PaymentReceived' });
    expect(() => loanDecider.decide({ ...pay('P1', '100.00', '2027-01-20'), backdatingLimitDays: 30 }, state)).toThrow(
      expect.objectContaining({ code: 'PAYMENT.BACKDATED_TOO_FAR', details: expect.objectContaining({ limitDays: 30, earliestAccepted: '2027-01-21' }) }),
    );
  });
});
