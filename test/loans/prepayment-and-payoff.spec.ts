import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import type { LoanEvent, PaymentReceivedData } from '../../src/loans/domain/loan-events.js';
import { type LoanState, interestOutstanding, loanOutstanding, penaltyOutstanding, principalOutstanding } from '../../src/loans/domain/loan-state.js';
import { loanDaysPastDue } from '../../src/loans/domain/overdue/days-past-due.js';
import { payoffAmount } from '../../src/loans/domain/payoff-quote.js';
import type { RepaymentMethod } from '../../src/loans/domain/repayment-method.js';
import { given } from '../support/decider-spec.js';
import { disburse, historyOf, originate, pay } from '../fixtures/loans.js';
import { datesFrom } from '../support/calendar.js';

// The loans of the issue "One truth for the books": 12,000.00 at 12% over 6 months, disbursed
// 2025-01-15, grace 3 days, penalty 18% (the default: 1.5 × the contract rate).
const loanOf = (repaymentMethod: RepaymentMethod, termMonths = 6): LoanCommand[] => [
  originate({ annualInterestRate: '0.12', termMonths, repaymentMethod, originatedOn: '2025-01-10', riskDisclosure: { version: 'rd-1', acceptedAt: '2025-01-09T20:00:00+08:00' }, creditAssessment: { score: 700, grade: 'B', source: 'scorecard', assessedOn: '2025-01-09' } }),
  disburse({ disbursedOn: '2025-01-15' }),
];
const cob = (businessDate: string): LoanCommand => ({ kind: 'close-business-day', businessDate });
const reverse = (paymentId: string, reversedOn: string): LoanCommand => ({ kind: 'reverse-payment', paymentId, reason: 'returned', reversedOn });
const refund = (refundId: string, amount: string, refundedOn: string): LoanCommand => ({ kind: 'refund-overpayment', refundId, amount, refundedOn, reference: `ref-${refundId}` });
const fold = (events: readonly LoanEvent[]): LoanState => events.reduce(loanDecider.evolve, loanDecider.initialState());
const owed = (state: LoanState) => ({
  principal: state.instalments.reduce((sum, i) => sum + principalOutstanding(i), 0),
  interest: state.instalments.reduce((sum, i) => sum + interestOutstanding(i), 0),
  penalty: state.instalments.reduce((sum, i) => sum + penaltyOutstanding(i), 0),
});

describe('prepayment, payoff and overpayment (the books agree with the rules)', () => {
  it('an interest-only loan prepaid in full owes no further interest, is paid off and is never delinquent', () => {
    const history = historyOf(...loanOf('interest-only'), pay('P1', '12120.00', '2025-01-20'));
    const state = fold(history);
    expect(state.status).toBe('paid-off');
    expect(owed(state)).toEqual({ principal: 0, interest: 0, penalty: 0 });
    expect(state.overpaymentHeld).toBe(0);
    const later = historyOf(...loanOf('interest-only'), pay('P1', '12120.00', '2025-01-20'), cob('2025-05-31'));
    expect(later).toHaveLength(history.length);
    expect(loanDaysPastDue(fold(later), '2025-05-31')).toBe(0);
  });

  it('interest is owed only on what is still borrowed after a partial prepayment of an interest-only loan', () => {
    // 120.00 for January's period, then 6,000.00 prepaid: 60.00 a month on the 6,000.00 left.
    const state = fold(historyOf(...loanOf('interest-only'), pay('P1', '6120.00', '2025-01-20')));
    expect(state.instalments.map((i) => interestOutstanding(i))).toEqual([0, 6_000, 6_000, 6_000, 6_000, 6_000]);
    expect(state.instalments.map((i) => principalOutstanding(i))).toEqual([0, 0, 0, 0, 0, 600_000]);
  });

  it('reduce-instalment keeps the term in force: instalments an earlier shorten-term prepayment emptied stay empty', () => {
    const shortened = historyOf(...loanOf('equal-principal'), pay('P1', '6120.00', '2025-01-20'));
    expect(fold(shortened).instalments.map((i) => principalOutstanding(i))).toEqual([0, 200_000, 200_000, 200_000, 0, 0]);
    const reduced = fold(historyOf(...loanOf('equal-principal'), pay('P1', '6120.00', '2025-01-20'), { ...pay('P2', '100.00', '2025-02-10'), prepayment: 'reduce-instalment' }));
    // 5,900.00 over the three instalments still in force, not spread back over six.
    expect(reduced.instalments.map((i) => principalOutstanding(i))).toEqual([0, 196_667, 196_667, 196_666, 0, 0]);
    expect(reduced.instalments.slice(4).map((i) => interestOutstanding(i))).toEqual([0, 0]);
  });

  it('a paid-off loan takes further payments as overpayment, and reversing one does not reopen it when nothing is owed', () => {
    const commands = [...loanOf('interest-only', 3), pay('P1', '12120.00', '2025-01-20'), pay('P2', '50.00', '2025-01-21'), pay('P3', '120.00', '2025-02-16')];
    const history = historyOf(...commands);
    const p3 = history.filter((e) => e.type === 'PaymentReceived').at(-1)!.data as PaymentReceivedData;
    expect(p3.allocation).toEqual({ instalments: [], prepaid: [], overpayment: 12_000 });
    expect(fold(history).overpaymentHeld).toBe(17_000);

    const reversed = given(loanDecider, history).when(reverse('P2', '2025-02-20')).then((events) => expect(events.map((e) => e.type)).toEqual(['PaymentReversed']));
    const after = fold([...history, ...reversed]);
    expect(after.status).toBe('paid-off');
    expect(after.overpaymentHeld).toBe(12_000);
  });

  it('a reversal reopens a paid-off loan when it leaves something owed', () => {
    const history = historyOf(...loanOf('interest-only', 3), pay('P1', '12120.00', '2025-01-20'));
    given(loanDecider, history)
      .when(reverse('P1', '2025-01-22'))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['PaymentReversed', 'LoanReopened']));
  });

  it('refunds held overpayment, never more than is held, and refuses to reverse a payment whose overpayment was refunded', () => {
    const history = historyOf(...loanOf('interest-only', 3), pay('P1', '12120.00', '2025-01-20'), pay('P2', '50.00', '2025-01-21'));
    const refunded = given(loanDecider, history).when(refund('R1', '50.00', '2025-01-25')).then([
      { type: 'OverpaymentRefunded', data: { refundId: 'R1', amount: 5_000, refundedOn: '2025-01-25', reference: 'ref-R1' } },
    ]);
    expect(fold([...history, ...refunded]).overpaymentHeld).toBe(0);
    given(loanDecider, history).when(refund('R1', '50.01', '2025-01-25')).thenRejects('REFUND.EXCEEDS_OVERPAYMENT', 'rule-violation');
    given(loanDecider, [...history, ...refunded]).when(refund('R1', '0.01', '2025-01-26')).thenRejects('REFUND.DUPLICATE_ID');
    given(loanDecider, [...history, ...refunded]).when(reverse('P2', '2025-01-26')).thenRejects('PAYMENT.OVERPAYMENT_REFUNDED');
  });

  it('refuses a refund dated before the overpayment it would pay back arrived', () => {
    const history = historyOf(...loanOf('interest-only', 3), pay('P1', '12120.00', '2025-01-20'), pay('P2', '50.00', '2025-03-01'));
    given(loanDecider, history).when(refund('R1', '50.00', '2025-02-01')).thenRejects('REFUND.BEFORE_OVERPAYMENT', 'rule-violation');
    given(loanDecider, history).when(refund('R1', '50.00', '2025-03-01')).then((events) => expect(events.map((e) => e.type)).toEqual(['OverpaymentRefunded']));
  });

  it('quotes a payoff that includes the penalty through the day before, and paying the quote settles the loan', () => {
    const commands = [...loanOf('equal-principal'), cob('2025-03-05')];
    const state = fold(historyOf(...commands));
    // 2,120.00 + 2,100.00 due or current, 8,000.00 later principal, penalty 1.00 a day from 02-16.
    expect(payoffAmount(state, '2025-03-06')).toBe(1_223_800);
    expect(payoffAmount(state, '2025-03-12')).toBe(1_224_400);
    const paid = fold(historyOf(...commands, pay('P1', '12244.00', '2025-03-12')));
    expect(paid.status).toBe('paid-off');
    expect(owed(paid)).toEqual({ principal: 0, interest: 0, penalty: 0 });
    expect(paid.overpaymentHeld).toBe(0);
    expect(payoffAmount(paid, '2025-03-13')).toBe(0);
  });

  it('a payment between two distant closes owes the penalty daily closes would have posted, paid first', () => {
    const payment = pay('P1', '2120.00', '2025-03-01');
    const caughtUp = historyOf(...loanOf('equal-principal'), cob('2025-02-14'), payment, cob('2025-03-05'));
    const daily = historyOf(...loanOf('equal-principal'), ...datesFrom('2025-02-14', '2025-02-28').map(cob), payment, ...datesFrom('2025-03-01', '2025-03-05').map(cob));
    const allocation = (events: LoanEvent[]) => (events.find((e) => e.type === 'PaymentReceived')!.data as PaymentReceivedData).allocation;
    // 2,000.00 × 18% / 360 × 13 days (02-16…02-28) = 13.00.
    expect(allocation(caughtUp).instalments[0]).toEqual({ number: 1, penalty: 1_300, interest: 12_000, principal: 198_700 });
    expect(allocation(caughtUp)).toEqual(allocation(daily));
    expect(fold(caughtUp).instalments).toEqual(fold(daily).instalments);
    expect(loanOutstanding(fold(caughtUp))).toBe(loanOutstanding(fold(daily)));
  });
});
