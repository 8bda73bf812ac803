import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import type { LoanEvent, PaymentReceivedData } from '../../src/loans/domain/loan-events.js';
import { type LoanState, interestOutstanding, loanOutstanding, penaltyOutstanding, principalOutstanding } from '../../src/loans/domain/loan-state.js';
import { loanDaysPastDue } from '../../src/loans/domain/days-past-due.js';
import { payoffAmount } from '../../src/loans/domain/payoff-quote.js';
import { interestCancelledByPrepayment } from '../../src/loans/domain/current-period-interest.js';
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
    // Borrowed 5 of the period's 31 days (01-15 → 01-20): round(120.00 × 5/31) = 19.35 of interest,
    // so 12,019.35 pays off and the other 100.65 is held.
    expect(state.overpaymentHeld).toBe(10_065);
    const later = historyOf(...loanOf('interest-only'), pay('P1', '12120.00', '2025-01-20'), cob('2025-05-31'));
    expect(later).toHaveLength(history.length);
    expect(loanDaysPastDue(fold(later), '2025-05-31')).toBe(0);
  });

  it('interest is owed only on what is still borrowed after a partial prepayment of an interest-only loan', () => {
    // Worked by hand from the rule: 5 of January's 31 days borrowed at 12,000.00, round(120.00 × 5/31) = 19.35
    // paid; the other 6,100.65 prepays principal and 5,899.35 is left: the rest of the period owes
    // round(120.00 × 5,899.35/12,000.00 × 26/31) = 49.48 on 02-15, then round(5,899.35 × 1%) = 58.99 a month.
    const state = fold(historyOf(...loanOf('interest-only'), pay('P1', '6120.00', '2025-01-20')));
    expect(state.instalments.map((i) => interestOutstanding(i))).toEqual([4_948, 5_899, 5_899, 5_899, 5_899, 5_899]);
    expect(state.instalments.map((i) => principalOutstanding(i))).toEqual([0, 0, 0, 0, 0, 589_935]);
  });

  it('reduce-instalment keeps the term in force: instalments an earlier shorten-term prepayment emptied stay empty', () => {
    // P1 pays round(120.00 × 5/31) = 19.35 of interest, instalment 1's 2,000.00, and prepays 4,100.65:
    // 5,899.35 left, kept at 2,000.00 an instalment (instalment 1 owes 49.48 more interest on 02-15).
    const shortened = historyOf(...loanOf('equal-principal'), pay('P1', '6120.00', '2025-01-20'));
    expect(fold(shortened).instalments.map((i) => principalOutstanding(i))).toEqual([0, 200_000, 200_000, 189_935, 0, 0]);
    const reduced = fold(historyOf(...loanOf('equal-principal'), pay('P1', '6120.00', '2025-01-20'), { ...pay('P2', '100.00', '2025-02-10'), prepayment: 'reduce-instalment' }));
    // P2, 26 days into the period: 5 days were borrowed at 12,000.00 and 21 at 5,899.35, so the period's
    // interest so far is round(120.00 × (12,000.00 × 5 + 5,899.35 × 21)/(12,000.00 × 31)) = 59.32, 39.97 of
    // it unpaid, paid; 60.03 prepaid: 5,839.32 over the three instalments still in force (1,946.44 each),
    // not spread back over six.
    expect(reduced.instalments.map((i) => principalOutstanding(i))).toEqual([0, 194_644, 194_644, 194_644, 0, 0]);
    expect(reduced.instalments.slice(1).map((i) => interestOutstanding(i))).toEqual([5_839, 3_893, 1_946, 0, 0]);
    // And instalment 1 owes, for the last 5 days on 5,839.32, round(120.00 × 5,839.32/12,000.00 × 5/31) = 9.42
    // on 02-15: 59.32 + 9.42 = 68.74 for the period in all.
    expect(interestOutstanding(reduced.instalments[0]!)).toBe(942);
  });

  it('a second payment in a period owes the days since the first at the balance the first left, not the reduced interest from day 0', () => {
    // 6,120.00 on 01-20 left 5,899.35 borrowed; paying off on 01-21 owes round(120.00 × (12,000.00 × 5 +
    // 5,899.35 × 1)/(12,000.00 × 31)) = 21.26 of the period's interest, 19.35 of it paid on 01-20.
    const history = historyOf(...loanOf('equal-principal'), pay('P1', '6120.00', '2025-01-20'));
    expect(payoffAmount(fold(history), '2025-01-21')).toBe(589_935 + 2_126 - 1_935);
    const paidOff = fold(historyOf(...loanOf('equal-principal'), pay('P1', '6120.00', '2025-01-20'), pay('P2', '5901.26', '2025-01-21')));
    expect(paidOff.status).toBe('paid-off');
    expect(paidOff.overpaymentHeld).toBe(0);
    expect(paidOff.instalments[0]!.interestPaid).toBe(2_126);
    // Reversed, the first payment never happened for the interest: a payoff then owes 6 days at 12,000.00.
    const reversed = fold(historyOf(...loanOf('equal-principal'), pay('P1', '6120.00', '2025-01-20'), reverse('P1', '2025-01-21')));
    expect(payoffAmount(reversed, '2025-01-21')).toBe(1_200_000 + 2_323);
  });

  it('a paid-off loan takes further payments as overpayment, and reversing one does not reopen it when nothing is owed', () => {
    const commands = [...loanOf('interest-only', 3), pay('P1', '12120.00', '2025-01-20'), pay('P2', '50.00', '2025-01-21'), pay('P3', '120.00', '2025-02-16')];
    const history = historyOf(...commands);
    const p3 = history.filter((e) => e.type === 'PaymentReceived').at(-1)!.data as PaymentReceivedData;
    expect(p3.allocation).toEqual({ instalments: [], prepaid: [], overpayment: 12_000 });
    // P1 already paid off with 100.65 over (interest round(120.00 × 5/31) = 19.35 for the 5 days borrowed), then 50.00 and 120.00.
    expect(fold(history).overpaymentHeld).toBe(10_065 + 5_000 + 12_000);

    const reversed = given(loanDecider, history).when(reverse('P2', '2025-02-20')).then((events) => expect(events.map((e) => e.type)).toEqual(['PaymentReversed']));
    const after = fold([...history, ...reversed]);
    expect(after.status).toBe('paid-off');
    expect(after.overpaymentHeld).toBe(10_065 + 12_000);
  });

  it('a reversal reopens a paid-off loan when it leaves something owed', () => {
    const history = historyOf(...loanOf('interest-only', 3), pay('P1', '12120.00', '2025-01-20'));
    given(loanDecider, history)
      .when(reverse('P1', '2025-01-22'))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['PaymentReversed', 'LoanReopened']));
  });

  it('refunds held overpayment, never more than is held, and refuses to reverse a payment whose overpayment was refunded', () => {
    // P1 is exactly the payoff on 01-20: 12,000.00 + round(120.00 × 5/31) = 12,019.35; nothing is held before P2.
    const history = historyOf(...loanOf('interest-only', 3), pay('P1', '12019.35', '2025-01-20'), pay('P2', '50.00', '2025-01-21'));
    expect(fold(history).overpaymentHeld).toBe(5_000);
    const refunded = given(loanDecider, history).when(refund('R1', '50.00', '2025-01-25')).then([
      { type: 'OverpaymentRefunded', data: { refundId: 'R1', amount: 5_000, refundedOn: '2025-01-25', reference: 'ref-R1' } },
    ]);
    expect(fold([...history, ...refunded]).overpaymentHeld).toBe(0);
    given(loanDecider, history).when(refund('R1', '50.01', '2025-01-25')).thenRejects('REFUND.EXCEEDS_OVERPAYMENT', 'rule-violation');
    given(loanDecider, [...history, ...refunded]).when(refund('R1', '0.01', '2025-01-26')).thenRejects('REFUND.DUPLICATE_ID');
    given(loanDecider, [...history, ...refunded]).when(reverse('P2', '2025-01-26')).thenRejects('PAYMENT.OVERPAYMENT_REFUNDED');
  });

  it('refuses a refund dated before the overpayment it would pay back arrived', () => {
    // P1 pays off exactly (12,000.00 + round(120.00 × 5/31)): the first overpayment is P2's.
    const history = historyOf(...loanOf('interest-only', 3), pay('P1', '12019.35', '2025-01-20'), pay('P2', '50.00', '2025-03-01'));
    given(loanDecider, history).when(refund('R1', '50.00', '2025-02-01')).thenRejects('REFUND.BEFORE_OVERPAYMENT', 'rule-violation');
    given(loanDecider, history).when(refund('R1', '50.00', '2025-03-01')).then((events) => expect(events.map((e) => e.type)).toEqual(['OverpaymentRefunded']));
  });

  it('quotes a payoff that includes the penalty through the day before, and paying the quote settles the loan', () => {
    const commands = [...loanOf('equal-principal'), cob('2025-03-05')];
    const state = fold(historyOf(...commands));
    // Instalment 1 (2,120.00) fallen due, penalty 1.00 a day from 02-16 (2,000.00 × 18% / 360); instalment
    // 2's 2,000.00 and its 100.00 for the days of its period (02-15 → 03-15, 28 days) borrowed so far;
    // 8,000.00 later principal. On 03-06: 18.00 + 2,120.00 + 2,000.00 + round(100.00 × 19/28) = 67.86 + 8,000.00.
    // (The issue called 12,238.00 right: the old rule, the current period's interest in full.)
    expect(payoffAmount(state, '2025-03-06')).toBe(1_220_586);
    // On 03-12: 24.00 + 2,120.00 + 2,000.00 + round(100.00 × 25/28) = 89.29 + 8,000.00.
    expect(payoffAmount(state, '2025-03-12')).toBe(1_223_329);
    const paid = fold(historyOf(...commands, pay('P1', '12233.29', '2025-03-12')));
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

// The owner's ruling on art. 677 for the current period (issue 20): a payment that repays principal
// before the end of a period that has begun (S ≤ on < D) leaves that instalment owing round(I × d/P)
// for the days borrowed at the old balance plus round(I × B'/B × (P − d)/P) for the rest of the period on
// the balance B' that remains of B, due on D. Every figure below is worked by hand from that rule.
describe('a payment during a period that has begun owes interest for the days borrowed (art. 677)', () => {
  const equalPrincipal = () => loanOf('equal-principal');
  const receivedIn = (events: readonly LoanEvent[]) => events.filter((e) => e.type === 'PaymentReceived').at(-1)!.data as PaymentReceivedData;
  const figures = (state: LoanState) =>
    state.instalments.map((i) => ({ number: i.number, principal: principalOutstanding(i), interest: interestOutstanding(i), penalty: penaltyOutstanding(i) }));

  it('paying off the day after disbursement owes one day of January\'s 120.00: 12,003.87', () => {
    const state = fold(historyOf(...equalPrincipal()));
    // 12,000.00 + round(120.00 × 1/31) = 12,000.00 + 3.87 (01-15 → 02-15 is 31 days).
    expect(payoffAmount(state, '2025-01-16')).toBe(1_200_387);
    const history = historyOf(...equalPrincipal(), pay('P1', '12003.87', '2025-01-16'));
    const paid = fold(history);
    expect(paid.status).toBe('paid-off');
    expect(owed(paid)).toEqual({ principal: 0, interest: 0, penalty: 0 });
    expect(paid.overpaymentHeld).toBe(0);
    const { allocation } = receivedIn(history);
    expect(allocation.instalments).toEqual([{ number: 1, penalty: 0, interest: 387, principal: 200_000 }]);
    // The rest of instalment 1's 120.00 is cancelled with the re-amortisation (the later instalments' in full).
    expect(allocation.reamortised?.instalments[0]).toEqual({ number: 1, principal: 0, interest: 12_000 - 387 });
  });

  it('a payment of 10,000.00 the day after disbursement takes 3.87 of interest, not 120.00 (the issue\'s decision)', () => {
    const state = fold(historyOf(...equalPrincipal(), pay('P1', '10000.00', '2025-01-16')));
    // 3.87 + 2,000.00 of instalment 1, 7,996.13 prepaid: 2,003.87 left. Instalment 1 owes for the other
    // 30 days round(120.00 × 2,003.87/12,000.00 × 30/31) = 19.39 on 02-15; instalment 2 keeps its 2,000.00
    // at round(2,003.87 × 1%) = 20.04, instalment 3 repays 3.87 at 0.04, the rest nothing.
    expect(figures(state).map(({ principal, interest }) => [principal, interest])).toEqual([
      [0, 1_939],
      [200_000, 2_004],
      [387, 4],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('the issue\'s payoff of an overdue loan on 2025-03-06 is 12,205.86, and paying it settles the loan with nothing over', () => {
    const commands = [...equalPrincipal(), cob('2025-03-05')];
    const state = fold(historyOf(...commands));
    // Instalment 1 unpaid since 02-15: 2,120.00 and 18.00 of penalty (2,000.00 × 18% / 360 × 18 days,
    // 02-16 … 03-05); instalment 2's 2,000.00 and round(100.00 × 19/28) = 67.86 (02-15 → 03-06 of
    // 02-15 → 03-15); 8,000.00 of later principal. The issue's 12,238.00 took instalment 2's 100.00 in full.
    expect(payoffAmount(state, '2025-03-06')).toBe(1_200_000 + 12_000 + 6_786 + 1_800);
    const paid = fold(historyOf(...commands, pay('P1', '12205.86', '2025-03-06')));
    expect(paid.status).toBe('paid-off');
    expect(owed(paid)).toEqual({ principal: 0, interest: 0, penalty: 0 });
    expect(paid.overpaymentHeld).toBe(0);
  });

  it('a partial prepayment mid-period leaves the rest of the period\'s interest due on the due date, and nothing past due before it', () => {
    const history = historyOf(...equalPrincipal(), pay('P1', '5000.00', '2025-02-05'));
    const { allocation } = receivedIn(history);
    // 21 of 31 days: round(120.00 × 21/31) = 81.29 paid now, then instalment 1's 2,000.00; 2,918.71 prepaid
    // from the last instalment back.
    expect(allocation.instalments).toEqual([{ number: 1, penalty: 0, interest: 8_129, principal: 200_000 }]);
    expect(allocation.prepaid).toEqual([
      { number: 6, principal: 200_000, interestCancelled: 0 },
      { number: 5, principal: 91_871, interestCancelled: 0 },
    ]);
    // 7,081.29 left: instalment 1 owes round(120.00 × 7,081.29/12,000.00 × 10/31) = 22.84 more on 02-15
    // (120.00 − 81.29 − 22.84 = 15.87 cancelled); the rest keep 2,000.00 each at 1% of what is left.
    expect(allocation.reamortised?.instalments[0]).toEqual({ number: 1, principal: 0, interest: 1_587 });
    const state = fold(history);
    expect(figures(state).map(({ principal, interest }) => [principal, interest])).toEqual([
      [0, 2_284],
      [200_000, 7_081],
      [200_000, 5_081],
      [200_000, 3_081],
      [108_129, 1_081],
      [0, 0],
    ]);
    // Not due before 02-15: nothing is past due, no close of business before then records anything.
    const closed = historyOf(...equalPrincipal(), pay('P1', '5000.00', '2025-02-05'), ...datesFrom('2025-02-06', '2025-02-15').map(cob));
    expect(closed).toHaveLength(history.length);
    expect(loanDaysPastDue(fold(closed), '2025-02-14')).toBe(0);
    expect(loanDaysPastDue(fold(closed), '2025-02-15')).toBe(0);
    // Paid on its due date, the 22.84 settles instalment 1.
    const settled = fold(historyOf(...equalPrincipal(), pay('P1', '5000.00', '2025-02-05'), pay('P2', '22.84', '2025-02-15')));
    expect(figures(settled)[0]).toEqual({ number: 1, principal: 0, interest: 0, penalty: 0 });
    expect(settled.overpaymentHeld).toBe(0);
    // Unpaid, it is past due from 02-15 like any instalment: missed after the 3 days' grace.
    const missed = historyOf(...equalPrincipal(), pay('P1', '5000.00', '2025-02-05'), cob('2025-02-18'));
    expect(missed.some((e) => e.type === 'InstalmentMissed' && e.data.number === 1)).toBe(true);
    expect(loanDaysPastDue(fold(missed), '2025-02-18')).toBe(3);
  });

  it('a payment that reaches no principal pays the interest of the days borrowed so far and changes nothing else', () => {
    const history = historyOf(...equalPrincipal(), pay('P1', '50.00', '2025-02-05'));
    // round(120.00 × 21/31) = 81.29 owed so far: all 50.00 is interest, instalment 1 still owes 70.00 and its principal.
    expect(receivedIn(history).allocation).toEqual({ instalments: [{ number: 1, penalty: 0, interest: 5_000, principal: 0 }], prepaid: [], overpayment: 0 });
    expect(figures(fold(history))[0]).toEqual({ number: 1, principal: 200_000, interest: 7_000, penalty: 0 });
  });

  it('reversing the payment restores the loan exactly', () => {
    for (const [amount, on] of [
      ['5000.00', '2025-02-05'],
      ['12003.87', '2025-01-16'],
      ['1000.00', '2025-01-20'],
    ] as const) {
      const before = fold(historyOf(...equalPrincipal()));
      const history = historyOf(...equalPrincipal(), pay('P1', amount, on));
      const reversal = given(loanDecider, history).when(reverse('P1', on)).then(() => undefined);
      const after = fold([...history, ...reversal]);
      expect(figures(after)).toEqual(figures(before));
      expect(after.instalments.map((i) => i.interestCancelled)).toEqual(before.instalments.map(() => 0));
      expect(after.status).toBe('active');
      expect(payoffAmount(after, on)).toBe(payoffAmount(before, on));
    }
  });

  it('a later payment stands on the interest a mid-period prepayment left: it is reversed first', () => {
    // 3,000.00 on 01-20 reaches beyond instalment 1 (2,120.00): it prepays, and leaves the period's interest cut.
    const history = historyOf(...equalPrincipal(), pay('P1', '3000.00', '2025-01-20'), pay('P2', '10.00', '2025-01-25'));
    given(loanDecider, history).when(reverse('P1', '2025-01-26')).thenRejects('PAYMENT.LATER_PAYMENT_STANDS', 'rule-violation');
  });

  it('paying exactly the quote on any day of the term settles the loan with nothing over, before and after a partial prepayment', () => {
    for (const method of ['equal-principal', 'equal-installment', 'interest-only'] as const) {
      for (const prefix of [[], [pay('P0', '3333.33', '2025-02-20')]]) {
        const commands = [...loanOf(method), ...prefix];
        const state = fold(historyOf(...commands));
        const from = prefix.length === 0 ? '2025-01-15' : '2025-02-20';
        for (const day of datesFrom(from, '2025-07-20').filter((_, k) => k % 3 === 0)) {
          const quote = payoffAmount(state, day);
          const paid = fold(historyOf(...commands, pay('PAYOFF', (quote / 100).toFixed(2), day)));
          expect({ method, day, status: paid.status, held: paid.overpaymentHeld, owed: owed(paid) }).toEqual({
            method,
            day,
            status: 'paid-off',
            held: 0,
            owed: { principal: 0, interest: 0, penalty: 0 },
          });
        }
      }
    }
  });

  it('on a due date the next period has not begun: paying off owes no interest for it', () => {
    const state = fold(historyOf(...equalPrincipal(), pay('P1', '2120.00', '2025-02-15')));
    expect(payoffAmount(state, '2025-02-15')).toBe(1_000_000);
    // On the disbursement date itself no day has been borrowed: the principal alone.
    expect(payoffAmount(fold(historyOf(...equalPrincipal())), '2025-01-15')).toBe(1_200_000);
  });
});

describe('the current period\'s interest after a prepayment, at its edges', () => {
  const period = {
    index: 0, number: 1, periodInterest: 10_000, startInterest: 10_000, startBalance: 1_000_000, carriedInterest: 0,
    interestPaid: 0, days: 31, elapsed: 1, balance: 1_000_000, balanceDays: 1_000_000n,
  };

  it('never raises the interest: rounding both parts up may not make them more than I', () => {
    // ceil(100.00 × 1/31) = 3.23 → 4 units of 0.01 … with amounts in minor units: ceil(10,000 × 1/31) = 323 and
    // ceil(10,000 × 999,000/1,000,000 × 30/31) = 9,668: 9,991 ≤ 10,000. At a smaller I the two ceilings can pass I:
    const small = { ...period, periodInterest: 100, startInterest: 100 };
    // ceil(100 × 1/31) = 4, ceil(100 × 0.999 × 30/31) = 97: 101 > 100, so nothing is cancelled (and nothing added).
    expect(interestCancelledByPrepayment(small, 999_000, 4, 'up')).toBe(0);
    expect(interestCancelledByPrepayment(period, 999_000, 323, 'up')).toBe(10_000 - 9_991);
  });

  it('never takes back interest already paid', () => {
    // Paid 5,000 of the period's interest already; the rule would leave round(10,000/31) = 323 at payoff.
    expect(interestCancelledByPrepayment({ ...period, interestPaid: 5_000 }, 0, 5_000, 'half-up')).toBe(5_000);
    expect(interestCancelledByPrepayment(period, 0, 323, 'half-up')).toBe(10_000 - 323);
  });
});
