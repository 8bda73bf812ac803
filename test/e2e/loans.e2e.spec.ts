import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../support/test-app.js';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';
import { originationRequest } from '../fixtures/loan-requests.js';

const origination = originationRequest();

/** Due date of instalment n (1–12) of a loan disbursed on 2026-01-15. */
const dueDate = (n: number) => {
  const month = ((n % 12) + 1).toString().padStart(2, '0');
  return `${n >= 12 ? 2027 : 2026}-${month}-15`;
};

describe('loans over HTTP', () => {
  let app: NestFastifyApplication;
  let store: EventStore;
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers });
  const get = async (url: string) => app.inject({ method: 'GET', url });
  const eventCount = async () => (await store.readAll(0, 1_000_000)).length;

  beforeEach(async () => {
    const config = testConfig();
    app = await createTestApp(config);
    store = app.get(EVENT_STORE);
  });
  afterEach(() => app.close());

  it('originate → disburse → 12 payments → paid off, with GET /loans/{id} right at each step', async () => {
    const originated = await post('/loans', origination);
    expect(originated.statusCode).toBe(201);
    expect(originated.json()).toEqual({ loanId: 'L-1001' });
    const approved = (await get('/loans/L-1001')).json();
    expect(approved).toMatchObject({
      status: 'approved',
      currency: 'CNY',
      terms: { principal: '12000.00', annualInterestRate: '0.18', penaltyAnnualRate: '0.24', gracePeriodDays: 3 },
      creditAssessment: origination.creditAssessment,
      schedule: [],
      disbursedOn: null,
    });

    const disbursed = await post('/loans/L-1001/disbursements', { disbursedOn: '2026-01-15', reference: 'wire-1' });
    expect(disbursed.statusCode).toBe(201);
    const schedule = disbursed.json().schedule;
    expect(schedule).toHaveLength(12);
    expect(schedule.slice(0, 11).every((line: { payment: string }) => line.payment === '1100.16')).toBe(true);
    expect(schedule[0]).toEqual({ number: 1, dueOn: '2026-02-15', principal: '920.16', interest: '180.00', payment: '1100.16' });
    const lastPayment: string = schedule[11].payment;

    const active = (await get('/loans/L-1001?asOf=2026-01-15')).json();
    expect(active).toMatchObject({ status: 'active', disbursedOn: '2026-01-15' });
    // Owed now, not scheduled: on the disbursement day nothing has fallen due; the interest of the year is only scheduled.
    expect(active.balances).toEqual({
      on: '2026-01-15',
      fallenDue: { principal: '0.00', interest: '0.00', penalty: '0.00', total: '0.00' },
      principalOutstanding: '12000.00',
      futureInterestScheduled: (Number(lastPayment) + 11 * 1100.16 - 12000).toFixed(2),
      overpaymentHeld: '0.00',
      // Paid off on the day it was lent, no day of the first period has been borrowed: round(180.00 × 0/31) = 0 of interest.
      payoffAmount: '12000.00',
    });

    let principalLeft = 1_200_000;
    for (let n = 1; n <= 12; n++) {
      const amount = n === 12 ? lastPayment : '1100.16';
      const paid = await post('/loans/L-1001/payments', { paymentId: `PAY-${n}`, amount, receivedOn: dueDate(n), channel: 'bank-transfer', reference: `stmt-${n}` });
      expect(paid.statusCode).toBe(201);
      expect(paid.json().allocation.instalments).toEqual([
        { number: n, penalty: '0.00', interest: schedule[n - 1].interest, principal: schedule[n - 1].principal },
      ]);
      expect(paid.json().paidOff).toBe(n === 12);

      const view = (await get(`/loans/L-1001?asOf=${dueDate(n)}`)).json();
      principalLeft -= Math.round(Number(schedule[n - 1].principal) * 100);
      expect(view.balances.principalOutstanding).toBe((principalLeft / 100).toFixed(2));
      // Paid on its due date: nothing that has fallen due is unpaid.
      expect(view.balances).toMatchObject({ on: dueDate(n), fallenDue: { total: '0.00' } });
      expect(view.schedule.filter((line: { status: string }) => line.status === 'paid')).toHaveLength(n);
      expect(view.status).toBe(n === 12 ? 'paid-off' : 'active');
    }
    const paidOff = (await get('/loans/L-1001')).json();
    expect(paidOff).toMatchObject({
      status: 'paid-off',
      paidOffOn: '2027-01-15',
      balances: { fallenDue: { total: '0.00' }, principalOutstanding: '0.00', futureInterestScheduled: '0.00', overpaymentHeld: '0.00', payoffAmount: '0.00' },
    });
    expect(paidOff.payments).toHaveLength(12);

    // Money is never refused: a payment after payoff is held as overpayment, to be refunded.
    const afterPayoff = await post('/loans/L-1001/payments', { paymentId: 'PAY-13', amount: '1.00', receivedOn: '2027-01-16', channel: 'bank-transfer', reference: 'x' });
    expect(afterPayoff.statusCode).toBe(201);
    expect(afterPayoff.json()).toMatchObject({ paidOff: false, allocation: { instalments: [], prepaid: [], overpayment: '1.00' } });
    expect((await get('/loans/L-1001')).json()).toMatchObject({ status: 'paid-off', balances: { overpaymentHeld: '1.00' } });
    const refunded = await post('/loans/L-1001/refunds', { refundId: 'RF-1', amount: '1.00', refundedOn: '2027-01-20', reference: 'wire-back' });
    expect(refunded.statusCode).toBe(201);
    expect(refunded.json()).toEqual({ loanId: 'L-1001', refundId: 'RF-1', amount: '1.00', overpaymentHeld: '0.00' });
    const tooMuch = await post('/loans/L-1001/refunds', { refundId: 'RF-2', amount: '0.01', refundedOn: '2027-01-20', reference: 'wire-back' });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json()).toMatchObject({ code: 'REFUND.EXCEEDS_OVERPAYMENT' });
    expect((await get('/loans/L-1001')).json().refunds).toEqual([{ refundId: 'RF-1', amount: '1.00', refundedOn: '2027-01-20' }]);
  });

  it('quotes the payoff amount for a date, and paying it settles the loan', async () => {
    await post('/loans', origination);
    await post('/loans/L-1001/disbursements', { disbursedOn: '2026-01-15', reference: 'wire-1' });
    const quote = (await get('/loans/L-1001?payoffOn=2026-03-01')).json().payoff;
    // Instalment 1 (due 02-15, unpaid) in full with its penalty, instalment 2 (current) its principal and
    // round(interest × 14/28) for 02-15 → 03-01 of its period, then the principal of 3..12. By hand:
    // 1,100.16 + 7.97 penalty (920.16 × 24% / 360 × 13 days, 02-16 … 02-28) + 933.96 + round(166.20 × 14/28) = 83.10
    // + 10,145.88 (12,000.00 − 920.16 − 933.96).
    expect(quote.on).toBe('2026-03-01');
    expect(quote.amount).toBe('12271.07');
    const paid = await post('/loans/L-1001/payments', { paymentId: 'P1', amount: quote.amount, receivedOn: '2026-03-01', channel: 'app', reference: 'r' });
    expect(paid.json()).toMatchObject({ paidOff: true, allocation: { overpayment: '0.00' } });
    expect((await get('/loans/L-1001')).json()).toMatchObject({ status: 'paid-off', balances: { payoffAmount: '0.00', principalOutstanding: '0.00' } });
  });

  it('reverses a payment: its instalment reopens and the payment stays in history', async () => {
    await post('/loans', origination);
    await post('/loans/L-1001/disbursements', { disbursedOn: '2026-01-15', reference: 'wire-1' });
    await post('/loans/L-1001/payments', { paymentId: 'P1', amount: '1100.16', receivedOn: '2026-02-15', channel: 'app', reference: 'r' });
    const reversed = await post('/loans/L-1001/payments/P1/reversals', { reason: 'chargeback', reversedOn: '2026-02-20' });
    expect(reversed.statusCode).toBe(201);
    expect(reversed.json()).toEqual({ loanId: 'L-1001', paymentId: 'P1', reopened: false });
    const view = (await get('/loans/L-1001')).json();
    expect(view.schedule[0]).toMatchObject({ status: 'unpaid', outstanding: { total: '1100.16' } });
    expect(view.payments).toEqual([{ paymentId: 'P1', amount: '1100.16', receivedOn: '2026-02-15', reversed: true }]);

    const retried = await post('/loans/L-1001/payments/P1/reversals', { reason: 'chargeback', reversedOn: '2026-02-20' });
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toEqual(reversed.json());
    const sameIdOtherBody = await post('/loans/L-1001/payments/P1/reversals', { reason: 'again', reversedOn: '2026-02-21' });
    expect(sameIdOtherBody.json()).toMatchObject({ code: 'COMMAND.ID_REUSED' });
    const twice = await post('/loans/L-1001/payments/P1/reversals', { reason: 'again', reversedOn: '2026-02-21' }, { 'idempotency-key': 'rev-2' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'PAYMENT.ALREADY_REVERSED' });
    const unknown = await post('/loans/L-1001/payments/P9/reversals', { reason: 'x', reversedOn: '2026-02-21' });
    expect(unknown.json()).toMatchObject({ code: 'PAYMENT.NOT_FOUND' });
  });

  it('is idempotent by payment id: a repeat returns the first result, another body under the same id is a 409', async () => {
    await post('/loans', origination);
    await post('/loans/L-1001/disbursements', { disbursedOn: '2026-01-15', reference: 'wire-1' });
    const payment = { paymentId: 'P1', amount: '500.00', receivedOn: '2026-02-15', channel: 'app', reference: 'r' };
    const first = await post('/loans/L-1001/payments', payment);
    const before = await eventCount();
    const again = await post('/loans/L-1001/payments', payment);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const different = await post('/loans/L-1001/payments', { ...payment, amount: '600.00' });
    expect(different.statusCode).toBe(409);
    expect(different.json()).toMatchObject({ code: 'COMMAND.ID_REUSED' });
    expect(await post('/loans', origination).then((r) => r.statusCode)).toBe(201);
    expect(await eventCount()).toBe(before);
  });

  it('takes the same payment id on two loans as two payments: a payment id is unique within its loan', async () => {
    for (const loanId of ['L-1001', 'L-1002']) {
      await post('/loans', { ...origination, loanId });
      await post(`/loans/${loanId}/disbursements`, { disbursedOn: '2026-01-15', reference: `wire-${loanId}` });
    }
    const payment = { paymentId: 'PAY-1', amount: '1100.16', receivedOn: '2026-02-15', channel: 'app', reference: 'r' };
    const first = await post('/loans/L-1001/payments', payment);
    const second = await post('/loans/L-1002/payments', { ...payment, amount: '500.00' });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json()).toMatchObject({ loanId: 'L-1002', paymentId: 'PAY-1', amount: '500.00' });
    // A repeat on either loan is still answered with that loan's first result.
    expect((await post('/loans/L-1002/payments', { ...payment, amount: '500.00' })).json()).toEqual(second.json());
    const paymentsOf = async (loanId: string) => (await get(`/loans/${loanId}`)).json().payments.map((p: { paymentId: string; amount: string }) => [p.paymentId, p.amount]);
    expect(await paymentsOf('L-1001')).toEqual([['PAY-1', '1100.16']]);
    expect(await paymentsOf('L-1002')).toEqual([['PAY-1', '500.00']]);
  });

  it('lists a borrower\'s loans from the loan-register projection', async () => {
    await post('/loans', origination);
    await post('/loans', { ...origination, loanId: 'L-1002', originatedOn: '2026-02-01' });
    await post('/loans', { ...origination, loanId: 'L-2001', borrowerId: 'B-other' });
    await post('/loans/L-1001/disbursements', { disbursedOn: '2026-01-15', reference: 'wire-1' });
    await waitFor(async () => (await get('/loans?borrowerId=B-77')).json().length === 2 && (await get('/loans?borrowerId=B-77')).json()[0].status === 'active', 'the register');
    expect((await get('/loans?borrowerId=B-77')).json()).toEqual([
      { loanId: 'L-1001', borrowerId: 'B-77', currency: 'CNY', principal: '12000.00', status: 'active', originatedOn: '2026-01-10', disbursedOn: '2026-01-15', paidOffOn: null },
      { loanId: 'L-1002', borrowerId: 'B-77', currency: 'CNY', principal: '12000.00', status: 'approved', originatedOn: '2026-02-01', disbursedOn: null, paidOffOn: null },
    ]);
  });

  describe('refusals', () => {
    it('answers 400 naming each bad field, and appends nothing', async () => {
      const bad = await post('/loans', {
        ...origination,
        principal: 12000.5,
        currency: 'XXY',
        borrowerTimeZone: 'Mars/Olympus',
        originatedOn: '2026-02-30',
        termMonths: 361,
        repaymentMethod: 'balloon',
        creditAssessment: { ...origination.creditAssessment, assessedOn: 'yesterday' },
        riskDisclosure: undefined,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('REQUEST.INVALID');
      expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(
        ['borrowerTimeZone', 'creditAssessment.assessedOn', 'currency', 'originatedOn', 'principal', 'repaymentMethod', 'riskDisclosure', 'termMonths'].sort(),
      );
      const ancient = await post('/loans', { ...origination, originatedOn: '1926-01-10' });
      expect(ancient.statusCode).toBe(400);
      expect(ancient.json().errors).toEqual([{ field: 'originatedOn', messages: ['originatedOn must be a calendar date YYYY-MM-DD, not before 1970-01-01'] }]);
      const decimals = await post('/loans', { ...origination, principal: '12000.001' });
      expect(decimals.statusCode).toBe(400);
      expect(decimals.json()).toEqual({
        code: 'REQUEST.INVALID',
        message: 'principal has more decimals than CNY allows',
        errors: [{ field: 'principal', messages: ['principal has more decimals than CNY allows'] }],
      });
      expect((await post('/loans', { ...origination, principal: '-5.00' })).statusCode).toBe(400);
      await post('/loans', origination);
      await post('/loans/L-1001/disbursements', { disbursedOn: '2026-01-15', reference: 'wire-1' });
      const before = await eventCount();
      for (const amount of ['0.00', '-1.00', '1.001', 5]) {
        const response = await post('/loans/L-1001/payments', { paymentId: 'P', amount, receivedOn: '2026-02-15', channel: 'app', reference: 'r' });
        expect(response.statusCode).toBe(400);
        expect(response.json().errors[0].field).toBe('amount');
      }
      expect(await eventCount()).toBe(before);
    });

    it('answers 409 with stable codes for broken rules and 404 for an unknown loan', async () => {
      const aboveCap = await post('/loans', { ...origination, annualInterestRate: '0.36' });
      expect(aboveCap.statusCode).toBe(409);
      expect(aboveCap.json()).toMatchObject({ code: 'RATE_ABOVE_CAP' });

      expect((await post('/loans/nope/disbursements', { disbursedOn: '2026-01-15', reference: 'w' })).json()).toMatchObject({ code: 'LOAN.NOT_FOUND' });
      expect((await get('/loans/nope')).statusCode).toBe(404);

      await post('/loans', origination);
      const early = await post('/loans/L-1001/payments', { paymentId: 'P1', amount: '1.00', receivedOn: '2026-02-15', channel: 'app', reference: 'r' });
      expect(early.statusCode).toBe(409);
      expect(early.json()).toMatchObject({ code: 'LOAN.NOT_DISBURSED' });
      const beforeOrigination = await post('/loans/L-1001/disbursements', { disbursedOn: '2026-01-01', reference: 'w' });
      expect(beforeOrigination.statusCode).toBe(400);
      expect(beforeOrigination.json()).toMatchObject({ code: 'BUSINESS_DATE.BEFORE_ORIGINATION', errors: [{ field: 'disbursedOn' }] });
      await post('/loans/L-1001/disbursements', { disbursedOn: '2026-01-15', reference: 'w' });
      const second = await post('/loans/L-1001/disbursements', { disbursedOn: '2026-01-16', reference: 'w2' }, { 'idempotency-key': 'd2' });
      expect(second.statusCode).toBe(409);
      expect(second.json()).toMatchObject({ code: 'LOAN.ALREADY_DISBURSED' });
    });
  });
});
