import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../support/test-app.js';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { getWhenProjected } from '../support/get-when-projected.js';
import { testConfig } from '../support/test-config.js';

describe('restructuring, penalty waivers and write-off over HTTP', () => {
  let app: NestFastifyApplication;
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
  const get = (url: string) => getWhenProjected(app, url);
  const eventCount = async () => app.get<EventStore>(EVENT_STORE).headPosition();

  beforeEach(async () => {
    app = await createTestApp(testConfig());
    // Disbursed 2026-01-15; instalments 1 and 2 (due 02-15, 03-15) unpaid when COB closes 2026-03-31.
    for (const loanId of ['L-1', 'L-2']) {
      await post('/loans', originationRequest(loanId));
      await post(`/loans/${loanId}/disbursements`, disbursementRequest);
    }
    expect((await post('/close-of-business', { businessDate: '2026-03-31' })).statusCode).toBe(200);
  });
  afterEach(() => app.close());

  it('a restructuring answers the new schedule and the overdue status shows the loan current, in observation, special mention', async () => {
    expect(await get('/loans/L-1/overdue-status')).toMatchObject({ daysPastDue: 44, bucket: 'M2' });
    const response = await post('/loans/L-1/restructurings', {
      restructuringId: 'RS-1',
      effectiveOn: '2026-04-01',
      reason: 'hardship',
      termMonths: 18,
      capitalise: true,
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ loanId: 'L-1', restructuringId: 'RS-1', capitalised: true });
    expect(body.schedule).toHaveLength(18);
    const cents = (text: string) => Math.round(Number(text) * 100);
    expect(body.schedule.reduce((sum: number, line: { principal: string }) => sum + cents(line.principal), 0)).toBe(cents(body.principal));
    expect(cents(body.principal)).toBe(1_200_000 + cents(body.overdueInterest) + cents(body.overduePenalty));

    await post('/close-of-business', { businessDate: '2026-04-01' });
    expect(await get('/loans/L-1/overdue-status')).toMatchObject({
      daysPastDue: 0,
      bucket: 'C',
      classification: 'special-mention',
      restructuringObservation: true,
      nextDue: { dueOn: '2026-05-01' },
      principalOutstanding: body.principal,
    });
    const summary = (await get('/overdue/summary')).currencies[0].byClassification;
    expect(summary.find((c: { key: string }) => c.key === 'special-mention')).toMatchObject({ loans: 2 });
    expect(summary.find((c: { key: string }) => c.key === 'normal')).toMatchObject({ loans: 0 });
    const listed = await get('/overdue?classification=special-mention');
    expect(listed.items.map((i: { loanId: string }) => i.loanId).sort()).toEqual(['L-1', 'L-2']);
    expect((await get('/overdue?classification=normal')).items).toEqual([]);
  });

  it('once two consecutive instalments were paid on time and a year has passed, the restructured loan is normal again', async () => {
    const restructured = await post('/loans/L-1/restructurings', {
      restructuringId: 'RS-1',
      effectiveOn: '2026-04-01',
      reason: 'hardship',
      termMonths: 18,
      capitalise: true,
    });
    const schedule: { number: number; dueOn: string; payment: string }[] = restructured.json().schedule;
    // Paid on each due date up to the anniversary; a payment dated later would itself record the end, as the close before it would have.
    for (const line of schedule.slice(0, 13)) {
      expect((await post('/loans/L-1/payments', paymentRequest(`N-${line.number}`, line.payment, line.dueOn))).statusCode).toBe(201);
    }
    await post('/close-of-business', { businessDate: '2027-04-30' });
    expect(await get('/loans/L-1/overdue-status')).toMatchObject({ daysPastDue: 0, classification: 'special-mention', restructuringObservation: true });
    // First new instalment 2026-05-01: the year ends 2027-05-01.
    await post('/close-of-business', { businessDate: '2027-05-01' });
    expect(await get('/loans/L-1/overdue-status')).toMatchObject({ daysPastDue: 0, classification: 'normal', restructuringObservation: false });
  });

  it('a waiver reduces the penalty shown, and waiving more than is owed is a 409 that appends nothing', async () => {
    const before = await get('/loans/L-1/overdue-status');
    const waived = await post('/loans/L-1/penalty-waivers', { waiverId: 'WV-1', waivedOn: '2026-04-01', amount: 'all', reason: 'hardship', approvedBy: 'manager:li' });
    expect(waived.statusCode).toBe(201);
    expect(waived.json()).toMatchObject({ waiverId: 'WV-1', amount: before.overdue.penalty });
    expect((await get('/loans/L-1/overdue-status')).overdue.penalty).toBe('0.00');

    const head = await eventCount();
    const tooMuch = await post('/loans/L-2/penalty-waivers', { waiverId: 'WV-2', waivedOn: '2026-04-01', amount: '9999.00', reason: 'x', approvedBy: 'manager:li' });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json()).toMatchObject({ code: 'WAIVER.EXCEEDS_PENALTY' });
    expect(await eventCount()).toBe(head);
  });

  it('a write-off shows the loan as loss and stage 3; a second is a 409; payments after it are recoveries', async () => {
    const writtenOff = await post('/loans/L-2/write-offs', { writeOffId: 'WO-1', writtenOffOn: '2026-04-01', reason: 'uncollectable' });
    expect(writtenOff.statusCode).toBe(201);
    expect(writtenOff.json()).toMatchObject({ writeOffId: 'WO-1', principal: '12000.00' });
    expect(await get('/loans/L-2/overdue-status')).toMatchObject({ status: 'written-off', classification: 'loss', ifrs9Stage: 3 });

    const again = await post('/loans/L-2/write-offs', { writeOffId: 'WO-2', writtenOffOn: '2026-04-02', reason: 'again' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'LOAN.ALREADY_WRITTEN_OFF' });

    const recovered = await post('/loans/L-2/payments', paymentRequest('REC-1', '300.00', '2026-05-01'));
    expect(recovered.statusCode).toBe(201);
    expect(recovered.json()).toMatchObject({ recovery: true, paidOff: false });
    expect(await get('/loans/L-2/overdue-status')).toMatchObject({ status: 'written-off', recovered: '300.00' });
    const cob = (await post('/close-of-business', { businessDate: '2026-05-02' })).json();
    expect(cob).toMatchObject({ loansVisited: 1 });
  });

  it('refuses a restructuring without any new term, naming the field', async () => {
    const response = await post('/loans/L-1/restructurings', { restructuringId: 'RS-1', effectiveOn: '2026-04-01', reason: 'hardship', capitalise: false });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'REQUEST.INVALID' });
  });
});
