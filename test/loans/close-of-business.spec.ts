import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import type { LoanEvent, PenaltyAccruedData, PaymentReceivedData } from '../../src/loans/domain/loan-events.js';
import type { LoanState } from '../../src/loans/domain/loan-state.js';
import { daysPastDue } from '../../src/loans/domain/days-past-due.js';
import { given } from '../support/decider-spec.js';
import { disburse, historyOf, originate, pay } from '../fixtures/loans.js';
import { datesFrom } from '../support/calendar.js';

const cob = (businessDate: string): LoanCommand => ({ kind: 'close-business-day', businessDate });
const fold = (events: readonly LoanEvent[]): LoanState => events.reduce(loanDecider.evolve, loanDecider.initialState());
const penaltyTotal = (events: readonly LoanEvent[]) => fold(events).instalments.reduce((sum, i) => sum + i.penaltyDue, 0);
const dates = datesFrom;

// 12,000.00 at 18%, penalty 24%, grace 3 days; instalment 1 (due 2026-02-15) is 920.16 principal + 180.00 interest.
describe('close of business for a loan', () => {
  it('within the grace days records nothing, though days past due already count', () => {
    const history = historyOf(originate(), disburse());
    given(loanDecider, history).when(cob('2026-02-17')).then([]);
    expect(daysPastDue(fold(history).instalments, '2026-02-17')).toBe(2);
  });

  it('when the grace ends unpaid: the instalment is missed and penalty accrues from the day after the due date', () => {
    given(loanDecider, historyOf(originate(), disburse())).when(cob('2026-02-18')).then([
      {
        type: 'InstalmentMissed',
        data: { number: 1, dueOn: '2026-02-15', missedOn: '2026-02-18', principalOutstanding: 92_016, interestOutstanding: 18_000 },
      },
      {
        type: 'PenaltyAccrued',
        data: {
          from: '2026-02-16',
          to: '2026-02-18',
          annualRate: '0.24',
          // round(92,016 × 0.24 / 360 × 3) = round(184.032) on principal only, not on the 180.00 interest.
          amount: 184,
          instalments: [{ number: 1, segments: [{ from: '2026-02-16', to: '2026-02-18', days: 3, base: 92_016 }], amount: 184 }],
        },
      },
    ]);
  });

  it('records nothing for an instalment paid within its grace days', () => {
    given(loanDecider, historyOf(originate(), disburse(), pay('P1', '1100.16', '2026-02-17'))).when(cob('2026-02-18')).then([]);
  });

  it('appends nothing when run twice for the same date', () => {
    const history = historyOf(originate(), disburse(), cob('2026-02-20'));
    given(loanDecider, history).when(cob('2026-02-20')).then([]);
  });

  it('posts the same penalty in one catch-up run as in daily runs', () => {
    const daily = historyOf(originate(), disburse(), ...dates('2026-02-16', '2026-03-20').map(cob));
    const catchUp = historyOf(originate(), disburse(), cob('2026-03-20'));
    expect(daily.filter((e) => e.type === 'PenaltyAccrued').length).toBeGreaterThan(20);
    expect(penaltyTotal(catchUp)).toBeGreaterThan(0);
    expect(penaltyTotal(catchUp)).toBe(penaltyTotal(daily));
  });

  it('posts the same penalty when the days between payments are caught up in one run', () => {
    // Each payment is recorded after the same COB in both stories, so it is allocated alike.
    const p1 = pay('P1', '300.00', '2026-02-25');
    const p2 = pay('P2', '700.00', '2026-03-03');
    const daily = historyOf(originate(), disburse(), ...dates('2026-02-16', '2026-02-24').map(cob), p1, ...dates('2026-02-25', '2026-03-05').map(cob), p2, ...dates('2026-03-06', '2026-03-20').map(cob));
    const catchUp = historyOf(originate(), disburse(), cob('2026-02-24'), p1, cob('2026-03-05'), p2, cob('2026-03-20'));
    expect(penaltyTotal(catchUp)).toBe(penaltyTotal(daily));
    expect(fold(catchUp).instalments).toEqual(fold(daily).instalments);
  });

  it('splits the penalty base on the day a payment reduced the overdue principal', () => {
    // The payment posts the penalty through the 19th first (4 days on 92,016), then pays it and 180.00 interest.
    const history = historyOf(originate(), disburse(), pay('P1', '500.00', '2026-02-20'));
    const [accruedWithPayment] = history.filter((e) => e.type === 'PenaltyAccrued');
    expect((accruedWithPayment!.data as PenaltyAccruedData).instalments[0]!.segments).toEqual([{ from: '2026-02-16', to: '2026-02-19', days: 4, base: 92_016 }]);
    const penaltyPaid = (history.find((e) => e.type === 'PaymentReceived')!.data as PaymentReceivedData).allocation.instalments[0]!.penalty;
    const [accrued] = given(loanDecider, history).when(cob('2026-02-22')).then(() => undefined);
    // The rest went to principal on the 20th: 92,016 − (50,000 − 18,000 − penalty) from the 20th on.
    expect((accrued!.data as PenaltyAccruedData).instalments[0]!.segments).toEqual([
      { from: '2026-02-20', to: '2026-02-22', days: 3, base: 92_016 - (50_000 - 18_000 - penaltyPaid) },
    ]);
  });

  it('charges no penalty on unpaid interest: an interest-only instalment is missed without penalty', () => {
    const history = historyOf(originate({ repaymentMethod: 'interest-only' }), disburse());
    given(loanDecider, history).when(cob('2026-02-28')).then((events) => expect(events.map((e) => e.type)).toEqual(['InstalmentMissed']));
  });

  it('stops accruing at payoff', () => {
    const history = historyOf(originate(), disburse(), cob('2026-02-20'), pay('P1', '20000.00', '2026-02-21'));
    expect(fold(history).status).toBe('paid-off');
    given(loanDecider, history).when(cob('2026-03-30')).then([]);
  });

  it('records 30, 60 and 90 days past due once per episode, dated by the schedule, and again after a cure', () => {
    const late = historyOf(originate(), disburse(), cob('2026-05-20'));
    expect(late.filter((e) => e.type === 'DelinquencyThresholdReached').map((e) => e.data)).toEqual([
      { threshold: 30, reachedOn: '2026-03-17', oldestUnpaidDueOn: '2026-02-15' },
      { threshold: 60, reachedOn: '2026-04-16', oldestUnpaidDueOn: '2026-02-15' },
      { threshold: 90, reachedOn: '2026-05-16', oldestUnpaidDueOn: '2026-02-15' },
    ]);
    const daily = historyOf(originate(), disburse(), ...dates('2026-02-16', '2026-05-20').map(cob));
    expect(daily.filter((e) => e.type === 'DelinquencyThresholdReached').map((e) => e.data)).toEqual(
      late.filter((e) => e.type === 'DelinquencyThresholdReached').map((e) => e.data),
    );
    given(loanDecider, late).when(cob('2026-05-21')).then((events) => expect(events.map((e) => e.type)).toEqual(['PenaltyAccrued']));

    const cured = historyOf(originate(), disburse(), cob('2026-03-20'), pay('P1', '9000.00', '2026-03-21'));
    expect(daysPastDue(fold(cured).instalments, '2026-03-21')).toBe(0);
    expect(fold(cured).delinquencyThreshold).toBe(0);
    const again = historyOf(originate(), disburse(), cob('2026-03-20'), pay('P1', '9000.00', '2026-03-21'), cob('2026-09-01'));
    expect(again.filter((e) => e.type === 'DelinquencyThresholdReached' && e.data.threshold === 30)).toHaveLength(2);
  });

  it('a payment after a missed instalment first posts the penalty through the day before it, and pays that penalty first', () => {
    const history = historyOf(originate(), disburse(), cob('2026-02-18'));
    const events = loanDecider.decide(pay('P1', '1200.00', '2026-02-25'), fold(history));
    expect(events.map((e) => e.type)).toEqual(['PenaltyAccrued', 'PaymentReceived']);
    // 92,016 × 24% / 360 for 2026-02-16 … 02-24 (9 days) = 552.10 → 552, of which 184 was posted on 02-18.
    expect(events[0]!.data).toMatchObject({ from: '2026-02-19', to: '2026-02-24', amount: 368 });
    const received = events[1] as Extract<LoanEvent, { type: 'PaymentReceived' }>;
    expect(received.data.allocation.instalments[0]).toEqual({ number: 1, penalty: 552, interest: 18_000, principal: 92_016 });
    // Nothing is left for a later close of business to post for those days.
    expect(loanDecider.decide(cob('2026-02-28'), fold([...history, ...events])).filter((e) => e.type === 'PenaltyAccrued')).toEqual([]);
  });
});
