import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

/**
 * A loan paid in thousands of pieces is read in bounded work (issue 21): its view lists the
 * most recent payments and how many there are, and the whole list is read in pages.
 */
describe('a loan paid in many pieces', () => {
  let app: NestFastifyApplication;
  const get = (url: string) => app.inject({ method: 'GET', url });
  const PAYMENTS = 150;

  beforeAll(async () => {
    app = await createTestApp(testConfig());
    await app.inject({ method: 'POST', url: '/loans', payload: originationRequest('L-MANY', 'B-1') });
    await app.inject({ method: 'POST', url: '/loans/L-MANY/disbursements', payload: disbursementRequest });
    for (let n = 1; n <= PAYMENTS; n++) {
      const response = await app.inject({ method: 'POST', url: '/loans/L-MANY/payments', payload: paymentRequest(`P-${n}`, '1.00', '2026-01-20') });
      expect(response.statusCode).toBe(201);
    }
  });
  afterAll(() => app?.close());

  it('lists the most recent 100 payments in its view, and how many there are', async () => {
    const view = (await get('/loans/L-MANY')).json();
    expect(view.paymentsTotal).toBe(PAYMENTS);
    expect(view.payments.map((p: { paymentId: string }) => p.paymentId)).toEqual(Array.from({ length: 100 }, (_, i) => `P-${i + 51}`));
    const fewer = (await get('/loans/L-MANY?paymentsLimit=3')).json();
    expect(fewer.payments.map((p: { paymentId: string }) => p.paymentId)).toEqual(['P-148', 'P-149', 'P-150']);
    expect((await get('/loans/L-MANY?paymentsLimit=1001')).statusCode).toBe(400);
  });

  it('pages through every payment in the order recorded', async () => {
    const pages = [];
    for (let offset = 0; offset < PAYMENTS; offset += 40) pages.push((await get(`/loans/L-MANY/payments?offset=${offset}&limit=40`)).json());
    expect(pages.map((page) => page.total)).toEqual([PAYMENTS, PAYMENTS, PAYMENTS, PAYMENTS]);
    expect(pages.flatMap((page) => page.payments.map((p: { paymentId: string }) => p.paymentId))).toEqual(Array.from({ length: PAYMENTS }, (_, i) => `P-${i + 1}`));
    expect(pages[0].payments[0]).toEqual({ paymentId: 'P-1', amount: '1.00', receivedOn: '2026-01-20', reversed: false });
    expect((await get('/loans/L-NONE/payments')).statusCode).toBe(404);
    expect((await get('/loans/L-MANY/payments?limit=0')).statusCode).toBe(400);
  });
});
