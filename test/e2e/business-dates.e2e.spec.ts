import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

/**
 * An event log cannot be edited: a date that cannot be true is refused before it gets in.
 * Each case is a request a new user or a hostile client sent to the landed engine (issue 21);
 * every refusal leaves the log as it was. The engine's today is 2026-12-05 in Asia/Shanghai,
 * with the default tolerance of one day for clients a time zone ahead.
 */
describe('business dates the record can rest on', () => {
  let app: NestFastifyApplication;
  let store: EventStore;
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });
  const expectRefusedUnchanged = async (send: () => Promise<{ statusCode: number; json(): unknown }>, status: number, body: object) => {
    const head = await store.headPosition();
    const response = await send();
    expect({ status: response.statusCode, body: response.json() }).toMatchObject({ status, body });
    expect(await store.headPosition()).toBe(head);
  };

  beforeAll(async () => {
    app = await createTestApp(testConfig({ CLOCK_FROZEN_AT: '2026-12-05T10:00:00+08:00' }));
    store = app.get(EVENT_STORE);
    expect((await post('/loans', originationRequest('L-1'))).statusCode).toBe(201);
    expect((await post('/loans/L-1/disbursements', disbursementRequest)).statusCode).toBe(201);
  });
  afterAll(() => app?.close());

  it.each(['2099-12-31', '9999-12-30', '2026-12-07'])('refuses a close of business on %s, naming today', async (businessDate) => {
    await expectRefusedUnchanged(() => post('/close-of-business', { businessDate }), 409, {
      code: 'BUSINESS_DATE.IN_FUTURE',
      message: `businessDate ${businessDate} is after today's business date 2026-12-05 (accepted up to 2026-12-06)`,
      details: { field: 'businessDate', today: '2026-12-05', latestAccepted: '2026-12-06' },
    });
  });

  it('refuses a payment dated in 2030, and still takes one dated today', async () => {
    await expectRefusedUnchanged(() => post('/loans/L-1/payments', paymentRequest('P-2030', '100.00', '2030-01-01')), 409, {
      code: 'BUSINESS_DATE.IN_FUTURE',
      details: { field: 'receivedOn', today: '2026-12-05' },
    });
    expect((await post('/loans/L-1/payments', paymentRequest('P-today', '100.00', '2026-12-05'))).statusCode).toBe(201);
  });

  it('refuses every dated command after tomorrow: origination, disbursement, reversal, refund, restructuring, waiver, write-off', async () => {
    const refused = (field: string) => ({ code: 'BUSINESS_DATE.IN_FUTURE', details: { field } });
    await expectRefusedUnchanged(() => post('/loans', { ...originationRequest('L-future'), originatedOn: '2026-12-07' }), 409, refused('originatedOn'));
    expect((await post('/loans', { ...originationRequest('L-2'), originatedOn: '2026-11-30' })).statusCode).toBe(201);
    await expectRefusedUnchanged(() => post('/loans/L-2/disbursements', { disbursedOn: '9999-12-20', reference: 'w' }), 409, refused('disbursedOn'));
    await expectRefusedUnchanged(() => post('/loans/L-1/payments/P-today/reversals', { reason: 'bounced', reversedOn: '2027-01-01' }), 409, refused('reversedOn'));
    await expectRefusedUnchanged(
      () => post('/loans/L-1/refunds', { refundId: 'R-1', amount: '1.00', refundedOn: '2027-01-01', reference: 'r' }),
      409,
      refused('refundedOn'),
    );
    await expectRefusedUnchanged(
      () => post('/loans/L-1/restructurings', { restructuringId: 'RS-1', effectiveOn: '2027-01-01', reason: 'hardship', termMonths: 24, capitalise: false }),
      409,
      refused('effectiveOn'),
    );
    await expectRefusedUnchanged(
      () => post('/loans/L-1/penalty-waivers', { waiverId: 'W-1', waivedOn: '2027-01-01', amount: 'all', reason: 'r', approvedBy: 'm' }),
      409,
      refused('waivedOn'),
    );
    await expectRefusedUnchanged(() => post('/loans/L-1/write-offs', { writeOffId: 'WO-1', writtenOffOn: '2027-01-01', reason: 'r' }), 409, refused('writtenOffOn'));
  });

  it('refuses years of five digits and dates before 1970 as malformed, naming the field', async () => {
    for (const disbursedOn of ['+010000-01-20', '10000-01-20', '1926-03-01']) {
      await expectRefusedUnchanged(() => post('/loans/L-2/disbursements', { disbursedOn, reference: 'w' }), 400, {
        errors: [{ field: 'disbursedOn' }],
      });
    }
    await expectRefusedUnchanged(() => post('/loans', { ...originationRequest('L-1926'), originatedOn: '1926-01-10' }), 400, {
      errors: [{ field: 'originatedOn' }],
    });
  });

  it('refuses a date before the loan was originated as bad input naming the field', async () => {
    await expectRefusedUnchanged(() => post('/loans/L-2/disbursements', { disbursedOn: '2026-11-29', reference: 'w' }), 400, {
      code: 'BUSINESS_DATE.BEFORE_ORIGINATION',
      errors: [{ field: 'disbursedOn' }],
    });
    await expectRefusedUnchanged(() => post('/loans/L-1/payments', paymentRequest('P-1926', '100.00', '1999-03-01')), 400, {
      code: 'BUSINESS_DATE.BEFORE_ORIGINATION',
      message: "receivedOn 1999-03-01 is before the loan's origination on 2026-01-10",
      errors: [{ field: 'receivedOn' }],
    });
  });
});
