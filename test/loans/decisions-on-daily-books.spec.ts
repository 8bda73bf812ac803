import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import type { LoanEvent, LoanWrittenOffData, PaymentReceivedData, PenaltyWaivedData } from '../../src/loans/domain/loan-events.js';
import { type LoanState, interestOutstanding, penaltyOutstanding, principalOutstanding } from '../../src/loans/domain/loan-state.js';
import { given } from '../support/decider-spec.js';
import { loanStateAsOf } from '../../src/loans/domain/loan-as-of.js';
import { loanDaysPastDue } from '../../src/loans/domain/days-past-due.js';
import { LENDING_POLICY_PRESETS, type LendingPolicy } from '../../src/policies/lending-policy.js';
import { disburse, historyOf, originate, pay } from '../fixtures/loans.js';
import { datesFrom } from '../support/calendar.js';

const cob = (businessDate: string): LoanCommand => ({ kind: 'close-business-day', businessDate });
const fold = (events: readonly LoanEvent[]): LoanState => events.reduce(loanDecider.evolve, loanDecider.initialState());
const writeOff = (writtenOffOn: string): LoanCommand => ({ kind: 'write-off', writeOffId: 'WO-1', writtenOffOn, reason: 'uncollectable' });
const waiveAll = (waivedOn: string): LoanCommand => ({ kind: 'waive-penalty', waiverId: 'WV-1', waivedOn, amount: 'all', reason: 'hardship', approvedBy: 'manager:li' });
const penalty = (state: LoanState) => state.instalments.reduce((sum, i) => sum + i.penaltyDue, 0);
const dataOf = <T>(events: readonly LoanEvent[], type: LoanEvent['type']) => events.find((e) => e.type === type)!.data as T;

/** 3,000.00 at 12% over 3 months, equal principal: 1,000.00 + 30.00 / 20.00 / 10.00 from 2026-02-15. */
const small = () => [originate({ principal: '3000.00', annualInterestRate: '0.12', termMonths: 3, repaymentMethod: 'equal-principal' }), disburse()];

describe('every decision starts from the books daily closes would have kept', () => {
  it('a write-off with no close since the due date first misses the instalment and posts its penalty through the write-off day', () => {
    const sparse = historyOf(...small(), writeOff('2026-03-10'));
    const daily = historyOf(...small(), ...datesFrom('2026-02-16', '2026-03-10').map(cob), writeOff('2026-03-10'));
    // The closes through the day before (the miss, penalty through 03-09), then the close of the day itself.
    expect(sparse.map((e) => e.type)).toEqual(['LoanOriginated', 'LoanDisbursed', 'InstalmentMissed', 'PenaltyAccrued', 'PenaltyAccrued', 'LoanWrittenOff']);
    // 1,000.00 × 18% / 360 × 23 days (02-16…03-10) = 11.50.
    expect(dataOf<LoanWrittenOffData>(sparse, 'LoanWrittenOff')).toMatchObject({ principal: 300_000, interest: 3_000, penalty: 1_150 });
    expect(dataOf<LoanWrittenOffData>(sparse, 'LoanWrittenOff')).toEqual(dataOf<LoanWrittenOffData>(daily, 'LoanWrittenOff'));
    expect(fold(sparse).instalments).toEqual(fold(daily).instalments);
  });

  it('a write-off cancels the interest of instalments not yet due, and a recovery never collects it', () => {
    const history = historyOf(...small(), writeOff('2026-01-20'));
    expect(fold(history).instalments.map(interestOutstanding)).toEqual([0, 0, 0]);
    const recovered = given(loanDecider, history).when(pay('R1', '1100.00', '2026-01-25')).then(() => undefined);
    const received = dataOf<PaymentReceivedData>(recovered, 'PaymentReceived');
    expect(received.recovery).toBe(true);
    // Oldest first, principal only: nothing is re-amortised on a written-off loan.
    expect(received.allocation).toEqual({
      instalments: [
        { number: 1, penalty: 0, interest: 0, principal: 100_000 },
        { number: 2, penalty: 0, interest: 0, principal: 10_000 },
      ],
      prepaid: [],
      overpayment: 0,
    });
    // Beyond what the write-off left owed, a recovery is held as overpayment.
    const more = given(loanDecider, history).when(pay('R1', '3100.00', '2026-01-25')).then(() => undefined);
    expect(dataOf<PaymentReceivedData>(more, 'PaymentReceived').allocation.overpayment).toBe(10_000);
  });

  it('a write-off recorded before interest not yet due was cancelled replays as it was: its recoveries may have paid that interest', () => {
    const history = historyOf(...small(), writeOff('2026-01-20')).map((e) => {
      if (e.type !== 'LoanWrittenOff') return e;
      const { interestNotYetDue: _new, ...recordedBefore } = e.data;
      return { ...e, data: recordedBefore };
    });
    expect(fold(history).instalments.map(interestOutstanding)).toEqual([3_000, 2_000, 1_000]);
  });

  it('an "all" waiver first posts the penalty through the day before, and waives it too', () => {
    const history = historyOf(...small(), cob('2026-03-31'));
    const events = given(loanDecider, history).when(waiveAll('2026-04-10')).then(() => undefined);
    expect(events.map((e) => e.type)).toEqual(['PenaltyAccrued', 'PenaltyWaived']);
    const after = fold([...history, ...events]);
    expect(after.instalments.map(penaltyOutstanding)).toEqual([0, 0, 0]);
    expect(dataOf<PenaltyWaivedData>(events, 'PenaltyWaived').amount).toBe(penalty(after));
    // The close of the waiver's own day then posts that day alone.
    const closed = loanDecider.decide(cob('2026-04-10'), after);
    const dailyAfterWaiver = historyOf(...small(), ...datesFrom('2026-02-16', '2026-04-09').map(cob), waiveAll('2026-04-10'), cob('2026-04-10'));
    expect(penalty(closed.reduce(loanDecider.evolve, after))).toBe(penalty(fold(dailyAfterWaiver)));
  });

  it('a waiver dated before penalty already accrued is refused, as a write-off or restructuring would be', () => {
    const history = historyOf(...small(), cob('2026-04-20'));
    given(loanDecider, history).when(waiveAll('2026-04-10')).thenRejects('LOAN.BACKDATED');
    given(loanDecider, history).when(writeOff('2026-04-10')).thenRejects('LOAN.BACKDATED');
  });

  it('a restructuring with no close since the due date first misses the instalment and posts penalty through the day before', () => {
    const restructure: LoanCommand = { kind: 'restructure', restructuringId: 'RS-1', effectiveOn: '2026-03-10', reason: 'hardship', termMonths: 6, capitalise: true };
    const sparse = historyOf(...small(), restructure);
    const daily = historyOf(...small(), ...datesFrom('2026-02-16', '2026-03-09').map(cob), restructure);
    expect(dataOf<object>(sparse, 'LoanRestructured')).toEqual(dataOf<object>(daily, 'LoanRestructured'));
    expect(fold(sparse).instalments.map(principalOutstanding)).toEqual(fold(daily).instalments.map(principalOutstanding));
  });
});

describe('dates that do not depend on when close of business ran (6,000.00 at 12% over 6 months from 2024-01-15)', () => {
  const loan = (policy: LendingPolicy = LENDING_POLICY_PRESETS.default) => [
    originate({ principal: '6000.00', annualInterestRate: '0.12', termMonths: 6, originatedOn: '2024-01-10', policy, riskDisclosure: { version: 'rd-1', acceptedAt: '2024-01-09T10:00:00+08:00' }, creditAssessment: { score: 700, grade: 'B', source: 'scorecard', assessedOn: '2024-01-09' } }),
    disburse({ disbursedOn: '2024-01-15' }),
  ];
  const thresholds = (events: readonly LoanEvent[]) => events.filter((e) => e.type === 'DelinquencyThresholdReached').map((e) => e.data);

  it('the 30-day threshold reached on 03-16 is recorded whether or not a close ran that day', () => {
    // Everything due paid on 03-17, when DPD had been 30 the day before.
    const payment = pay('P1', '2100.00', '2024-03-17');
    const daily = historyOf(...loan(), ...datesFrom('2024-02-16', '2024-03-16').map(cob), payment, ...datesFrom('2024-03-17', '2024-03-31').map(cob));
    const sparse = historyOf(...loan(), cob('2024-03-15'), payment, cob('2024-03-31'));
    expect(thresholds(sparse)).toEqual([{ threshold: 30, reachedOn: '2024-03-16', oldestUnpaidDueOn: '2024-02-15' }]);
    expect(thresholds(sparse)).toEqual(thresholds(daily));
    expect(fold(sparse).instalments).toEqual(fold(daily).instalments);
  });

  it('an episode a reversal brings back is dated no earlier than the reversal: the loan as of any earlier day was current', () => {
    const history = historyOf(...loan(), pay('P1', '2200.00', '2024-03-25'), cob('2024-04-30'), { kind: 'reverse-payment', paymentId: 'P1', reason: 'returned', reversedOn: '2024-05-02' }, cob('2024-05-02'));
    // The first episode reached 30 days on 03-16 (recorded by the payment's close through 03-24); the payment ended it.
    // Reversed on 05-02 with 04-15's instalment past due (16 days): 77 days from that day on.
    expect(thresholds(history)).toEqual([
      { threshold: 30, reachedOn: '2024-03-16', oldestUnpaidDueOn: '2024-02-15' },
      { threshold: 30, reachedOn: '2024-05-02', oldestUnpaidDueOn: '2024-02-15' },
      { threshold: 60, reachedOn: '2024-05-02', oldestUnpaidDueOn: '2024-02-15' },
    ]);
    for (const event of history) {
      if (event.type !== 'DelinquencyThresholdReached') continue;
      const { threshold, reachedOn } = event.data;
      const recordedBefore = history.slice(0, history.indexOf(event) + 1);
      expect(loanDaysPastDue(loanStateAsOf(recordedBefore, reachedOn), reachedOn)).toBeGreaterThanOrEqual(threshold);
    }
  });

  it('a recovery never collects more than the write-off left owed: the rest is held as overpayment', () => {
    const history = historyOf(...loan(), cob('2024-03-19'), writeOff('2024-03-20'));
    // Two instalments fallen due (60.00 + 50.25 interest) and their penalty through the 20th.
    expect(dataOf<LoanWrittenOffData>(history, 'LoanWrittenOff')).toMatchObject({ principal: 600_000, interest: 11_025, penalty: 1_904 });
    const recovered = given(loanDecider, history).when(pay('R1', '6230.79', '2024-04-01')).then(() => undefined);
    const { allocation } = dataOf<PaymentReceivedData>(recovered, 'PaymentReceived');
    expect(allocation.instalments.reduce((sum, a) => sum + a.interest, 0)).toBe(11_025);
    expect(allocation.instalments.reduce((sum, a) => sum + a.principal, 0)).toBe(600_000);
    expect(allocation.instalments.reduce((sum, a) => sum + a.penalty, 0)).toBe(1_904);
    expect(allocation.overpayment).toBe(623_079 - 612_929);
  });

  it('the us policy writes a loan off on the first day past 120 days, not on the close that noticed it', () => {
    const daily = historyOf(...loan(LENDING_POLICY_PRESETS.us), ...datesFrom('2024-02-16', '2024-07-14').map(cob));
    const sparse = historyOf(...loan(LENDING_POLICY_PRESETS.us), cob('2024-05-31'), cob('2024-07-14'));
    const writtenOff = dataOf<LoanWrittenOffData>(sparse, 'LoanWrittenOff');
    // Due 2024-02-15 + 121 days = 2024-06-15.
    expect(writtenOff).toMatchObject({ writtenOffOn: '2024-06-15', automatic: true });
    expect(writtenOff).toEqual(dataOf<LoanWrittenOffData>(daily, 'LoanWrittenOff'));
    expect(penalty(fold(sparse))).toBe(penalty(fold(daily)));
  });
});

describe('reversing a payment that re-amortised the schedule', () => {
  it('is refused while a later payment, allocated on the new schedule, stands', () => {
    const history = historyOf(...small(), pay('P1', '2030.00', '2026-02-01'), pay('P2', '500.00', '2026-03-15'));
    given(loanDecider, history)
      .when({ kind: 'reverse-payment', paymentId: 'P1', reason: 'returned', reversedOn: '2026-03-20' })
      .thenRejects('PAYMENT.LATER_PAYMENT_STANDS', 'rule-violation');
    // Once the later payment is reversed, the first one can be.
    const p2Reversed = [...history, ...loanDecider.decide({ kind: 'reverse-payment', paymentId: 'P2', reason: 'returned', reversedOn: '2026-03-20' }, fold(history))];
    // P1 paid instalment 1's principal 14 days before its due date (art. 677): of its 30.00 it
    // paid round(30.00 × 17/31) = 16.45 and left round(30.00 × 986.45/3,000.00 × 14/31) = 4.45
    // due on 02-15 on the 986.45 still borrowed. With P2 (which paid that) reversed, it is unpaid
    // since 02-15: 33 days past due on 03-20, which the reversal's catch-up records first.
    given(loanDecider, p2Reversed)
      .when({ kind: 'reverse-payment', paymentId: 'P1', reason: 'returned', reversedOn: '2026-03-20' })
      .then((events) => expect(events.map((e) => e.type)).toEqual(['DelinquencyThresholdReached', 'PaymentReversed']));
  });
});
