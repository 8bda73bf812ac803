import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../support/test-app.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { getWhenProjected } from '../support/get-when-projected.js';
import { testConfig } from '../support/test-config.js';

describe('overdue status over HTTP', () => {
  let app: NestFastifyApplication;
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
  const get = (url: string) => getWhenProjected(app, url);
  const cob = (businessDate: string) => post('/close-of-business', { businessDate });

  beforeEach(async () => {
    app = await createTestApp(testConfig());
    // Three loans disbursed 2026-01-15, instalment 1 (920.16 + 180.00) due 2026-02-15.
    for (const loanId of ['L-paid', 'L-late', 'L-partial']) {
      await post('/loans', originationRequest(loanId));
      await post(`/loans/${loanId}/disbursements`, disbursementRequest);
    }
    await post('/loans/L-paid/payments', paymentRequest('P1', '1100.16', '2026-02-15'));
    await post('/loans/L-paid/payments', paymentRequest('P1b', '1100.16', '2026-03-15'));
    await post('/loans/L-partial/payments', paymentRequest('P2', '500.00', '2026-02-20'));
  });
  afterEach(() => app.close());

  it('shows DPD, bucket, class, stage and overdue amounts as of the last COB, at the 30/31 boundary', async () => {
    await cob('2026-03-17');
    expect(await get('/loans/L-late/overdue-status')).toMatchObject({
      asOf: '2026-03-17',
      daysPastDue: 30,
      bucket: 'M1',
      classification: 'special-mention',
      ifrs9Stage: 1,
      timesReached: { dpd30: 1, dpd60: 0, dpd90: 0 },
    });
    await cob('2026-03-18');
    const late = await get('/loans/L-late/overdue-status');
    expect(late).toMatchObject({
      loanId: 'L-late',
      status: 'active',
      daysPastDue: 31,
      bucket: 'M2',
      ifrs9Stage: 2,
      oldestUnpaidDueOn: '2026-02-15',
      nextDue: { dueOn: '2026-04-15', amount: '1100.16' },
      lastPayment: null,
      principalOutstanding: '12000.00',
    });
    // Instalments 1 and 2 are past due: 920.16 + 933.96 principal, 180.00 + 166.20 interest.
    expect(late.overdue).toMatchObject({ principal: '1854.12', interest: '346.20' });
    expect(Number(late.overdue.penalty)).toBeGreaterThan(0);

    expect(await get('/loans/L-paid/overdue-status')).toMatchObject({
      daysPastDue: 0,
      bucket: 'C',
      classification: 'normal',
      lastPayment: { on: '2026-03-15', amount: '1100.16' },
      nextDue: { dueOn: '2026-04-15' },
    });
  });

  it('moves from special mention to substandard between 90 and 91 days past due', async () => {
    await cob('2026-05-16');
    expect(await get('/loans/L-late/overdue-status')).toMatchObject({ daysPastDue: 90, bucket: 'M3', classification: 'special-mention', ifrs9Stage: 2 });
    await cob('2026-05-17');
    expect(await get('/loans/L-late/overdue-status')).toMatchObject({
      daysPastDue: 91,
      bucket: 'M4',
      classification: 'substandard',
      ifrs9Stage: 3,
      timesReached: { dpd30: 1, dpd60: 1, dpd90: 1 },
    });
  });

  it('returns a cured loan to C when its payment is projected, before the next COB', async () => {
    await cob('2026-03-18');
    const { overdue } = await get('/loans/L-late/overdue-status');
    await post('/loans/L-late/payments', paymentRequest('P3', overdue.total, '2026-03-18'));
    expect(await get('/loans/L-late/overdue-status')).toMatchObject({
      daysPastDue: 0,
      bucket: 'C',
      classification: 'normal',
      overdue: { total: '0.00' },
      lastPayment: { on: '2026-03-18', amount: overdue.total },
    });
  });

  it('lists overdue loans by DPD descending, filtered and paged with a cursor', async () => {
    await cob('2026-03-18');
    const all = await get('/overdue');
    expect(all.items.map((i: { loanId: string; daysPastDue: number }) => [i.loanId, i.daysPastDue])).toEqual([
      ['L-late', 31],
      ['L-partial', 31],
    ]);
    const first = await get('/overdue?limit=1');
    expect(first.items.map((i: { loanId: string }) => i.loanId)).toEqual(['L-late']);
    const second = await get(`/overdue?limit=1&cursor=${first.nextCursor}`);
    expect(second).toMatchObject({ items: [{ loanId: 'L-partial' }], nextCursor: null });
    expect((await get('/overdue?bucket=M1')).items).toEqual([]);
    expect((await get('/overdue?bucket=M2&classification=special-mention')).items).toHaveLength(2);
    expect((await get('/overdue?bucket=C')).items.map((i: { loanId: string }) => i.loanId)).toEqual(['L-paid']);
    expect((await get('/overdue?minDpd=32')).items).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/overdue?bucket=M9' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/overdue?cursor=garbage' })).statusCode).toBe(400);
  });

  it('sums loans and outstanding principal by bucket and by class', async () => {
    await cob('2026-03-18');
    const { asOf, currencies } = await get('/overdue/summary');
    expect(asOf).toBe('2026-03-18');
    expect(currencies).toHaveLength(1);
    const [cny] = currencies;
    const bucket = (key: string) => cny.byBucket.find((s: { key: string }) => s.key === key);
    const klass = (key: string) => cny.byClassification.find((s: { key: string }) => s.key === key);
    // L-paid has paid instalments 1 and 2: 12,000.00 − 920.16 − 933.96.
    expect(bucket('C')).toEqual({ key: 'C', loans: 1, outstandingPrincipal: '10145.88' });
    expect(bucket('M2')).toMatchObject({ loans: 2 });
    expect(bucket('M1')).toEqual({ key: 'M1', loans: 0, outstandingPrincipal: '0.00' });
    expect(klass('normal')).toMatchObject({ loans: 1 });
    expect(klass('special-mention')).toMatchObject({ loans: 2 });
  });
});
