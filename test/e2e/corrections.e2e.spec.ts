import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { getWhenProjected } from '../support/get-when-projected.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

/**
 * README "What corrects what": every command's effect can be undone by another command that
 * records a new event; the log keeps both. Over HTTP, each row of the table: the decision,
 * its correction, and the loan view, the overdue status and the register afterwards. The
 * fixture loan: 12,000.00 CNY at 18% over 12 months from 2026-01-15, 1,100.16 due the 15th.
 */
describe('what corrects what', () => {
  let app: NestFastifyApplication;
  let writtenOff: { principal: string; interest: string; penalty: string };
  const post = async (url: string, payload: object, status = 201) => {
    const response = await app.inject({ method: 'POST', url, payload });
    expect({ url, status: response.statusCode, body: response.json() }).toMatchObject({ url, status });
    return response.json();
  };
  const loan = (loanId: string) => getWhenProjected(app, `/loans/${loanId}`);
  const events = async (loanId: string) => ((await app.inject({ method: 'GET', url: `/loans/${loanId}/events` })).json().events as { type: string }[]).map((e) => e.type);
  const open = async (loanId: string) => {
    await post('/loans', originationRequest(loanId, `B-${loanId}`));
    await post(`/loans/${loanId}/disbursements`, disbursementRequest);
  };

  beforeAll(async () => {
    app = await createTestApp(testConfig());
    for (const loanId of ['L-PAY', 'L-REFUND', 'L-WAIVE', 'L-WO', 'L-REC', 'L-RS']) await open(loanId);
    await post('/loans', originationRequest('L-CANCEL', 'B-L-CANCEL'));
    await post('/close-of-business', { businessDate: '2026-03-31' }, 200);
  });
  afterAll(() => app?.close());

  it('payment → its reversal: the instalment owes again', async () => {
    await post('/loans/L-PAY/payments', paymentRequest('P1', '500.00', '2026-04-01'));
    await post('/loans/L-PAY/payments/P1/reversals', { reason: 'bounced', reversedOn: '2026-04-02' });
    const view = await loan('L-PAY');
    expect(view.payments).toEqual([expect.objectContaining({ paymentId: 'P1', reversed: true })]);
    expect(await events('L-PAY')).toEqual(expect.arrayContaining(['PaymentReceived', 'PaymentReversed']));
  });

  it('overpayment → refund: what was held is paid back', async () => {
    await post('/loans/L-REFUND/payments', paymentRequest('P1', '20000.00', '2026-04-01'));
    const held = (await loan('L-REFUND')).balances.overpaymentHeld;
    expect(Number(held)).toBeGreaterThan(0);
    await post('/loans/L-REFUND/refunds', { refundId: 'RF1', amount: held, refundedOn: '2026-04-02', reference: 'refund' });
    expect((await loan('L-REFUND')).balances.overpaymentHeld).toBe('0.00');
  });

  it('penalty waiver → its reversal: the waived penalty is owed again', async () => {
    const before = (await loan('L-WAIVE')).balances.fallenDue.penalty;
    await post('/loans/L-WAIVE/penalty-waivers', { waiverId: 'W1', waivedOn: '2026-04-01', amount: 'all', reason: 'goodwill', approvedBy: 'manager' });
    expect((await loan('L-WAIVE')).balances.fallenDue.penalty).toBe('0.00');
    expect(await post('/loans/L-WAIVE/penalty-waivers/W1/reversals', { reason: 'granted in error', reversedOn: '2026-04-01' })).toEqual({
      loanId: 'L-WAIVE',
      recorded: 'PenaltyWaiverReversed',
      status: 'active',
    });
    expect((await loan('L-WAIVE')).balances.fallenDue.penalty).toBe(before);
    const again = await app.inject({ method: 'POST', url: '/loans/L-WAIVE/penalty-waivers/W1/reversals', payload: { reason: 'again', reversedOn: '2026-03-31' }, headers: { 'idempotency-key': 'second' } });
    expect({ status: again.statusCode, code: again.json().code }).toEqual({ status: 409, code: 'WAIVER.ALREADY_REVERSED' });
  });

  it('write-off → its reversal: active again, owing what it owed, in every view', async () => {
    const before = (await loan('L-WO')).balances;
    writtenOff = await post('/loans/L-WO/write-offs', { writeOffId: 'WO1', writtenOffOn: '2026-03-31', reason: 'uncollectable' });
    expect((await getWhenProjected(app, '/loans/L-WO/overdue-status')).status).toBe('written-off');
    expect(await post('/loans/L-WO/write-offs/WO1/reversals', { reason: 'borrower found', reversedOn: '2026-04-01' })).toMatchObject({ status: 'active' });
    const after = await loan('L-WO');
    expect(after.status).toBe('active');
    expect(after.balances.principalOutstanding).toBe(before.principalOutstanding);
    expect(after.balances.futureInterestScheduled).toBe(before.futureInterestScheduled);
    expect((await getWhenProjected(app, '/loans/L-WO/overdue-status')).status).toBe('active');
    expect(await getWhenProjected(app, '/loans?borrowerId=B-L-WO')).toEqual([expect.objectContaining({ loanId: 'L-WO', status: 'active' })]);
  });

  it('recovery → its reversal: what was recovered is no longer counted as recovered', async () => {
    await post('/loans/L-REC/write-offs', { writeOffId: 'WO1', writtenOffOn: '2026-03-31', reason: 'uncollectable' });
    await post('/loans/L-REC/payments', paymentRequest('R1', '300.00', '2026-04-01'));
    await post('/loans/L-REC/payments', paymentRequest('R2', '50.00', '2026-04-02'));
    expect((await getWhenProjected(app, '/loans/L-REC/overdue-status')).recovered).toBe('350.00');
    await post('/loans/L-REC/payments/R1/reversals', { reason: 'bounced', reversedOn: '2026-04-03' });
    const status = await getWhenProjected(app, '/loans/L-REC/overdue-status');
    expect({ status: status.status, recovered: status.recovered }).toEqual({ status: 'written-off', recovered: '50.00' });
  });

  it('restructuring → its reversal before anything rests on it: the old schedule again', async () => {
    await post('/loans/L-RS/restructurings', { restructuringId: 'RS1', effectiveOn: '2026-04-01', reason: 'hardship', termMonths: 24, capitalise: false });
    expect((await loan('L-RS')).schedule).toHaveLength(12 + 24);
    expect((await getWhenProjected(app, '/loans/L-RS/overdue-status')).restructuringObservation).toBe(true);
    await post('/loans/L-RS/restructurings/RS1/reversals', { reason: 'keyed on the wrong loan', reversedOn: '2026-04-01' });
    const view = await loan('L-RS');
    expect(view.schedule).toHaveLength(12);
    expect(view.schedule.some((i: { status: string }) => i.status === 'restructured')).toBe(false);
    const status = await getWhenProjected(app, '/loans/L-RS/overdue-status');
    expect({ observation: status.restructuringObservation, dpd: status.daysPastDue }).toEqual({ observation: false, dpd: expect.any(Number) });
    expect(status.daysPastDue).toBeGreaterThan(30);
  });

  it('origination → its cancellation before disbursement: nothing more can happen to the loan', async () => {
    await post('/loans/L-CANCEL/cancellation', { cancelledOn: '2026-01-12', reason: 'declined by the borrower' });
    expect((await loan('L-CANCEL')).status).toBe('cancelled');
    expect(await getWhenProjected(app, '/loans?borrowerId=B-L-CANCEL')).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    const disburse = await app.inject({ method: 'POST', url: '/loans/L-CANCEL/disbursements', payload: disbursementRequest });
    expect({ status: disburse.statusCode, code: disburse.json().code }).toEqual({ status: 409, code: 'LOAN.CANCELLED' });
    const cancelDisbursed = await app.inject({ method: 'POST', url: '/loans/L-PAY/cancellation', payload: { cancelledOn: '2026-04-05', reason: 'x' } });
    expect({ status: cancelDisbursed.statusCode, code: cancelDisbursed.json().code }).toEqual({ status: 409, code: 'LOAN.ALREADY_DISBURSED' });
  });

  it('counts the corrections of the month in the regulator report', async () => {
    await post('/close-of-business', { businessDate: '2026-04-30' }, 200);
    const { flows } = (await getWhenProjected(app, '/reports/regulatory?asOf=2026-04-30')).currencies[0];
    expect(flows.corrections).toEqual({
      waiverReversals: { count: 1, amount: flows.penaltiesWaived.amount },
      // What the reversed write-off had written off: writeOffs less this is what stays written off.
      writeOffReversals: { count: 1, principal: writtenOff.principal, interest: writtenOff.interest, penalty: writtenOff.penalty },
      restructuringReversals: { count: 1 },
      originationsCancelled: { count: 0 },
    });
    expect(flows.penaltiesWaived.count).toBe(1);
  });
});
