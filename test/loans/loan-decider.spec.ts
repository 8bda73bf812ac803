import { LENDING_POLICY_PRESETS } from '../../src/policies/lending-policy.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import type { LoanDisbursedData, LoanEvent, PaymentReceivedData } from '../../src/loans/domain/loan-events.js';
import { interestOutstanding, loanOutstanding, principalOutstanding } from '../../src/loans/domain/loan-state.js';
import { payoffAmount } from '../../src/loans/domain/payoff-quote.js';
import { given } from '../support/decider-spec.js';
import { disburse, historyOf, originate, pay } from '../fixtures/loans.js';

const loan = (...history: LoanEvent[]) => given(loanDecider, history);
const originated = () => historyOf(originate());
const disbursed = () => historyOf(originate(), disburse());
const fold = (events: readonly LoanEvent[]) => events.reduce(loanDecider.evolve, loanDecider.initialState());
const paymentData = (events: readonly LoanEvent[]) => events.find((e) => e.type === 'PaymentReceived')!.data as PaymentReceivedData;

describe('loan decider', () => {
  describe('originate', () => {
    it('records the terms, the assessment and disclosure, and the rates decided from the policy', () => {
      loan().when(originate()).then([
        {
          type: 'LoanOriginated',
          data: {
            loanId: 'L1',
            borrowerId: 'B1',
            borrowerTimeZone: 'Asia/Shanghai',
            currency: 'CNY',
            principal: 1_200_000,
            annualInterestRate: '0.18',
            termMonths: 12,
            repaymentMethod: 'equal-installment',
            originatedOn: '2026-01-10',
            gracePeriodDays: 3,
            // 0.18 × 1.5 = 0.27, capped at the default policy's 24%.
            penaltyAnnualRate: '0.24',
            penaltyRateSource: 'policy-default',
            policy: { name: 'default', costCapAnnualRate: '0.24', rounding: 'half-up', penaltyRateMultiplier: '1.5' },
            creditAssessment: { score: 712, grade: 'B', source: 'internal-scorecard-v3', assessedOn: '2026-01-09' },
            riskDisclosure: { version: 'rd-2026-01', acceptedAt: '2026-01-09T20:15:00+08:00' },
          },
        },
      ]);
    });

    it('derives the penalty rate as 1.5 × the contract rate when under the cap, and keeps a contract one', () => {
      loan().when(originate({ annualInterestRate: '0.12' })).then(([event]) =>
        expect(event!.data).toMatchObject({ penaltyAnnualRate: '0.18', penaltyRateSource: 'policy-default' }),
      );
      loan().when(originate({ penaltyAnnualRate: '0.2', gracePeriodDays: 0 })).then(([event]) =>
        expect(event!.data).toMatchObject({ penaltyAnnualRate: '0.2', penaltyRateSource: 'contract', gracePeriodDays: 0 }),
      );
    });

    it('refuses a contract or penalty rate above the policy cap', () => {
      loan().when(originate({ annualInterestRate: '0.2401' })).thenRejects('RATE_ABOVE_CAP', 'rule-violation');
      loan().when(originate({ penaltyAnnualRate: '0.25' })).thenRejects('RATE_ABOVE_CAP');
      loan().when(originate({ policy: LENDING_POLICY_PRESETS['cn-2027'] })).thenRejects('RATE_ABOVE_CAP');
    });

    it('refuses a credit assessment or a risk disclosure dated after origination', () => {
      const assessment = { score: 712, grade: 'B', source: 'internal-scorecard-v3', assessedOn: '2026-01-11' };
      loan().when(originate({ creditAssessment: assessment })).thenRejects('LOAN.ASSESSMENT_AFTER_ORIGINATION', 'rule-violation');
      loan().when(originate({ creditAssessment: { ...assessment, assessedOn: '2026-01-10' } })).then(([event]) => expect(event!.type).toBe('LoanOriginated'));
      loan().when(originate({ riskDisclosure: { version: 'rd-1', acceptedAt: '2026-01-11T09:00:00+08:00' } })).thenRejects('LOAN.RISK_DISCLOSURE_AFTER_ORIGINATION');
    });

    it('refuses to originate the same loan twice', () => {
      loan(...originated()).when(originate()).thenRejects('LOAN.ALREADY_EXISTS', 'rule-violation');
    });

    it('refuses a principal with more decimals than the currency has, or zero', () => {
      loan().when(originate({ principal: '100.001' })).thenRejects('REQUEST.INVALID', 'validation');
      loan().when(originate({ currency: 'JPY', principal: '100.5' })).thenRejects('REQUEST.INVALID', 'validation');
      loan().when(originate({ principal: '0.00' })).thenRejects('REQUEST.INVALID', 'validation');
      loan().when(originate({ currency: 'JPY', principal: '1000000' })).then(([event]) =>
        expect(event!.data).toMatchObject({ principal: 1_000_000, currency: 'JPY' }),
      );
    });

    it('refuses a loan whose risk warning was accepted after origination, in the borrower\'s time zone', () => {
      // 23:30 in New York on the 10th is already the 11th in Shanghai.
      loan()
        .when(originate({ riskDisclosure: { version: 'rd', acceptedAt: '2026-01-10T23:30:00-05:00' } }))
        .thenRejects('LOAN.RISK_DISCLOSURE_AFTER_ORIGINATION');
      loan()
        .when(originate({ riskDisclosure: { version: 'rd', acceptedAt: '2026-01-10T23:30:00+08:00' } }))
        .then((events) => expect(events).toHaveLength(1));
    });
  });

  describe('disburse', () => {
    it('records the amount and the generated schedule', () => {
      const [event] = loan(...originated()).when(disburse()).then((events) => expect(events).toHaveLength(1));
      expect(event).toMatchObject({ type: 'LoanDisbursed', data: { disbursedOn: '2026-01-15', reference: 'wire-001', amount: 1_200_000 } });
      const { schedule } = event!.data as LoanDisbursedData;
      expect(schedule).toHaveLength(12);
      expect(schedule[0]).toEqual({ number: 1, dueOn: '2026-02-15', principal: 92_016, interest: 18_000 });
      expect(schedule[11]!.dueOn).toBe('2027-01-15');
      expect(schedule.slice(0, 11).every((line) => line.principal + line.interest === 110_016)).toBe(true);
    });

    it('refuses an unknown loan, a date before origination and a second disbursement', () => {
      loan().when(disburse()).thenRejects('LOAN.NOT_FOUND', 'not-found');
      loan(...originated()).when(disburse({ disbursedOn: '2026-01-09' })).thenRejects('BUSINESS_DATE.BEFORE_ORIGINATION', 'validation');
      loan(...disbursed()).when(disburse()).thenRejects('LOAN.ALREADY_DISBURSED');
    });
  });

  describe('receive a payment', () => {
    it('pays the instalment due: interest, then principal', () => {
      loan(...disbursed()).when(pay('P1', '1100.16', '2026-02-15')).then([
        {
          type: 'PaymentReceived',
          data: {
            paymentId: 'P1',
            amount: 110_016,
            receivedOn: '2026-02-15',
            channel: 'bank-transfer',
            reference: 'ref-P1',
            allocation: { instalments: [{ number: 1, penalty: 0, interest: 18_000, principal: 92_016 }], prepaid: [], overpayment: 0 },
          },
        },
      ]);
    });

    it('applies a payment made before the due date to the coming instalment', () => {
      const events = loan(...disbursed()).when(pay('P1', '1100.16', '2026-02-01')).then(() => undefined);
      // Exactly the coming instalment, ahead of its due date: the borrower pays that instalment as scheduled,
      // its full 180.00 interest and 920.16 principal, and owes nothing more on it (nothing is prepaid, so
      // art. 677's interest for the days borrowed does not come into it).
      expect(paymentData(events).allocation.instalments).toEqual([{ number: 1, penalty: 0, interest: 18_000, principal: 92_016 }]);
      expect(paymentData(events).allocation.prepaid).toEqual([]);
      expect(paymentData(events).allocation.reamortised).toBeUndefined();
    });

    it('owes the days borrowed of the current period once a payment reaches beyond the coming instalment', () => {
      // 1,100.17 is one cent beyond instalment 1 on 02-01: 17 of the period's 31 days have passed, so the
      // instalment takes round(180.00 × 17/31) = 98.71 interest now, then its 920.16 principal, and the other
      // 81.30 prepays principal of the last instalment.
      const events = loan(...disbursed()).when(pay('P1', '1100.17', '2026-02-01')).then(() => undefined);
      expect(paymentData(events).allocation.instalments).toEqual([{ number: 1, penalty: 0, interest: 9_871, principal: 92_016 }]);
      expect(paymentData(events).allocation.prepaid).toEqual([{ number: 12, principal: 8_130, interestCancelled: 0 }]);
    });

    it('takes interest before principal in a partial payment, and the oldest instalment first', () => {
      const partial = loan(...disbursed()).when(pay('P1', '100.00', '2026-02-15')).then(() => undefined);
      expect(paymentData(partial).allocation.instalments).toEqual([{ number: 1, penalty: 0, interest: 10_000, principal: 0 }]);

      // Two instalments due by 2026-03-20; 1,500.00 clears the first and starts on the second.
      const late = loan(...disbursed()).when(pay('P1', '1500.00', '2026-03-20')).then(() => undefined);
      const [first, second] = paymentData(late).allocation.instalments;
      // Penalty first: 920.16 × 24% / 360 for the 32 days 02-16…03-19 = 19.63, posted with the payment.
      expect(first).toEqual({ number: 1, penalty: 1_963, interest: 18_000, principal: 92_016 });
      expect(second!.number).toBe(2);
      expect(second!.penalty + second!.interest + second!.principal).toBe(150_000 - 110_016 - 1_963);
      expect(second!.interest).toBeGreaterThan(0);
    });

    it('prepays principal and re-amortises the later instalments on what is left, keeping the instalment by default', () => {
      const events = loan(...disbursed()).when(pay('P1', '3300.00', '2026-02-15')).then(() => undefined);
      const { allocation } = paymentData(events);
      expect(allocation.instalments.map((a) => a.number)).toEqual([1]);
      // 3,300.00 − 1,100.16 = 2,199.84 of principal prepaid: 12,000.00 − 920.16 − 2,199.84 = 8,880.00 left.
      expect(allocation.prepaid.reduce((sum, p) => sum + p.principal, 0)).toBe(219_984);
      expect(allocation.overpayment).toBe(0);
      expect(allocation.reamortised?.option).toBe('shorten-term');
      const after = fold([...disbursed(), ...events]).instalments.slice(1);
      const owed = after.map((i) => ({ principal: principalOutstanding(i), interest: interestOutstanding(i) }));
      // Interest only on what is still borrowed: 8,880.00 × 1.5% = 133.20 for the second month.
      expect(owed[0]).toEqual({ principal: 110_016 - 13_320, interest: 13_320 });
      expect(owed.reduce((sum, o) => sum + o.principal, 0)).toBe(888_000);
      // Shorten-term keeps the 1,100.16 instalment: fewer of them, the last one smaller, then nothing.
      const totals = owed.map((o) => o.principal + o.interest);
      const lastOwing = totals.findLastIndex((t) => t > 0);
      // Worked apart: 966.96 + 133.20, 981.46 + 118.70, …, then 725.77 + 10.89 in the ninth month after.
      expect(totals.slice(0, lastOwing).every((t) => t === 110_016)).toBe(true);
      expect(lastOwing).toBe(8);
      expect(owed[8]).toEqual({ principal: 72_577, interest: 1_089 });
      expect(totals.slice(lastOwing + 1)).toEqual([0, 0]);
    });

    it('keeps the term on request: the later instalments become a level payment on what is left', () => {
      const command = { ...pay('P1', '3300.00', '2026-02-15'), prepayment: 'reduce-instalment' as const };
      const events = loan(...disbursed()).when(command).then(() => undefined);
      expect(paymentData(events).allocation.reamortised?.option).toBe('reduce-instalment');
      const later = fold([...disbursed(), ...events]).instalments.slice(1);
      const totals = later.map((i) => principalOutstanding(i) + interestOutstanding(i));
      expect(later.reduce((sum, i) => sum + principalOutstanding(i), 0)).toBe(888_000);
      // 8,880.00 over 11 months at 1.5% a month: 881.73 each (the last settles the remainder).
      expect(new Set(totals.slice(0, -1))).toEqual(new Set([88_173]));
      expect(Math.abs(totals.at(-1)! - 88_173)).toBeLessThanOrEqual(11);
    });

    it('pays off the loan with the payoff amount, and holds anything beyond it as an overpayment', () => {
      const given = loan(...disbursed());
      const payoff = payoffAmount(given.state, '2026-03-01');
      const exact = given.when(pay('P1', (payoff / 100).toFixed(2), '2026-03-01')).then(() => undefined);
      // The first instalment was missed on 02-18: its penalty through 02-28 is posted and paid first.
      expect(exact.map((e) => e.type)).toEqual(['InstalmentMissed', 'PenaltyAccrued', 'PaymentReceived', 'LoanPaidOff']);
      expect(exact[3]!.data).toEqual({ paidOffOn: '2026-03-01', paymentId: 'P1' });
      expect(paymentData(exact).allocation.overpayment).toBe(0);

      const more = given.when(pay('P1', ((payoff + 12_345) / 100).toFixed(2), '2026-03-01')).then(() => undefined);
      expect(paymentData(more).allocation.overpayment).toBe(12_345);
      expect(more.map((e) => e.type)).toEqual(['InstalmentMissed', 'PenaltyAccrued', 'PaymentReceived', 'LoanPaidOff']);
    });

    it('refuses payments on an unknown or undisbursed loan, before disbursement, or under a used id', () => {
      loan().when(pay('P1', '1.00', '2026-02-15')).thenRejects('LOAN.NOT_FOUND', 'not-found');
      loan(...originated()).when(pay('P1', '1.00', '2026-02-15')).thenRejects('LOAN.NOT_DISBURSED');
      loan(...disbursed()).when(pay('P1', '1.00', '2026-01-14')).thenRejects('PAYMENT.BEFORE_DISBURSEMENT');
      loan(...historyOf(originate(), disburse(), pay('P1', '1.00', '2026-02-15')))
        .when(pay('P1', '2.00', '2026-02-16'))
        .thenRejects('PAYMENT.DUPLICATE_ID');
    });

    it('refuses an amount with too many decimals or of zero', () => {
      loan(...disbursed()).when(pay('P1', '1.001', '2026-02-15')).thenRejects('REQUEST.INVALID', 'validation');
      loan(...disbursed()).when(pay('P1', '0', '2026-02-15')).thenRejects('REQUEST.INVALID', 'validation');
    });
  });

  describe('reverse a payment', () => {
    const paidTwice = () => historyOf(originate(), disburse(), pay('P1', '1100.16', '2026-02-15'), pay('P2', '1100.16', '2026-03-15'));

    it('undoes exactly that payment\'s allocation and keeps the payment in history', () => {
      const history = paidTwice();
      const p1 = history.find((e) => e.type === 'PaymentReceived')!.data as PaymentReceivedData;
      const events = loan(...history)
        .when({ kind: 'reverse-payment', paymentId: 'P1', reason: 'chargeback', reversedOn: '2026-03-20' })
        .then([{ type: 'PaymentReversed', data: { paymentId: 'P1', reason: 'chargeback', reversedOn: '2026-03-20', allocation: p1.allocation } }]);
      const after = [...history, ...events].reduce(loanDecider.evolve, loanDecider.initialState());
      // Exactly what P1 paid is owed again, on the instalment it paid; P2's allocation stays.
      expect(loanOutstanding(after)).toBe(loanOutstanding(fold(history)) + 110_016);
      expect(principalOutstanding(after.instalments[0]!) + interestOutstanding(after.instalments[0]!)).toBe(110_016);
      expect(principalOutstanding(after.instalments[1]!) + interestOutstanding(after.instalments[1]!)).toBe(0);
      expect(after.payments.get('P1')).toMatchObject({ reversed: true, amount: 110_016 });
      expect(after.instalments[0]).toMatchObject({ interestPaid: 0, principalPaid: 0 });
    });

    it('reopens a loan whose paying-off payment is reversed', () => {
      loan(...historyOf(originate(), disburse(), pay('P1', '20000.00', '2026-02-15')))
        .when({ kind: 'reverse-payment', paymentId: 'P1', reason: 'returned', reversedOn: '2026-02-17' })
        .then((events) => expect(events.map((e) => e.type)).toEqual(['PaymentReversed', 'LoanReopened']));
    });

    it('refuses an unknown payment, a second reversal and a reversal dated before the payment', () => {
      const reverse = (paymentId: string, reversedOn = '2026-03-20') => ({ kind: 'reverse-payment' as const, paymentId, reason: 'x', reversedOn });
      loan().when(reverse('P1')).thenRejects('LOAN.NOT_FOUND');
      loan(...paidTwice()).when(reverse('P9')).thenRejects('PAYMENT.NOT_FOUND');
      loan(...historyOf(originate(), disburse(), pay('P1', '1.00', '2026-02-15'), reverse('P1'))).when(reverse('P1')).thenRejects('PAYMENT.ALREADY_REVERSED');
      loan(...paidTwice()).when(reverse('P2', '2026-03-14')).thenRejects('PAYMENT.REVERSAL_BEFORE_PAYMENT');
    });
  });
});
