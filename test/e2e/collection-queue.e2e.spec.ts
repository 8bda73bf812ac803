import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../support/test-app.js';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { READ_MODEL_DB, type ReadModelDb } from '../../src/infrastructure/projections/contract/projection.js';
import { COLLECTION_BORROWERS_TABLE } from '../../src/read-models/collection-queue/collection-queue.projection.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { getWhenProjected } from '../support/get-when-projected.js';
import { testConfig } from '../support/test-config.js';

const promiseContact = (contactId: string, loanId: string, at: string, amount: string, dueOn: string) => ({
  contactId,
  loanId,
  at,
  channel: 'phone',
  party: 'borrower',
  direction: 'outbound',
  connected: true,
  outcome: 'promise-to-pay',
  agentId: 'agent-7',
  promise: { amount, dueOn },
});

describe('collection queue over HTTP', () => {
  let app: NestFastifyApplication;
  let store: EventStore;
  const post = async (url: string, payload: unknown) => {
    const response = await app.inject({ method: 'POST', url, payload: payload as object });
    expect(response.statusCode).toBeLessThan(300);
    return response.json();
  };
  const get = (url: string) => getWhenProjected(app, url);

  beforeEach(async () => {
    app = await createTestApp(testConfig());
    store = app.get(EVENT_STORE);
    // A, B and D disbursed 2026-01-15 (first due 2026-02-15); C a month earlier, so further behind.
    for (const [loanId, borrowerId] of [['L-A', 'B-A'], ['L-B', 'B-B'], ['L-D', 'B-D']]) {
      await post('/loans', originationRequest(loanId, borrowerId));
      await post(`/loans/${loanId}/disbursements`, disbursementRequest);
    }
    await post('/loans', {
      ...originationRequest('L-C', 'B-C'),
      originatedOn: '2025-12-10',
      creditAssessment: { score: 700, grade: 'B', source: 'scorecard', assessedOn: '2025-12-09' },
      riskDisclosure: { version: 'rd-2025-12', acceptedAt: '2025-12-09T10:00:00+08:00' },
    });
    await post('/loans/L-C/disbursements', { disbursedOn: '2025-12-15', reference: 'wire-c' });
    await post('/loans/L-D/payments', paymentRequest('PD', '1100.16', '2026-02-15'));

    await post('/borrowers/B-A/collection-contacts', promiseContact('CA', 'L-A', '2026-02-20T10:00:00+08:00', '1100.16', '2026-02-25'));
    await post('/borrowers/B-B/collection-contacts', promiseContact('CB', 'L-B', '2026-02-20T11:00:00+08:00', '500.00', '2026-02-22'));
    // 9 days late: 4.91 of penalty (920.16 × 24% / 360 × 8 days, 02-16…02-23) is paid first, so the payment covers it too.
    await post('/loans/L-A/payments', paymentRequest('PA', '1105.07', '2026-02-24'));
  });
  afterEach(() => app.close());

  it('settles promises at close of business: kept when covered, broken after the due date otherwise', async () => {
    const result = await post('/close-of-business', { businessDate: '2026-02-26' });
    expect(result).toMatchObject({ promisesKept: 1, promisesBroken: 1 });
    expect((await store.readStream('collection-B-A')).map((e) => [e.type, e.data])).toContainEqual([
      'PromiseToPayKept',
      { promiseId: 'CA', loanId: 'L-A', keptOn: '2026-02-24', paid: 110_507 },
    ]);
    expect((await store.readStream('collection-B-B')).at(-1)).toMatchObject({
      type: 'PromiseToPayBroken',
      data: { promiseId: 'CB', dueOn: '2026-02-22', brokenOn: '2026-02-23', promised: 50_000, paid: 0 },
    });
    expect((await post('/close-of-business', { businessDate: '2026-02-27' })).promisesBroken).toBe(0);
  });

  it('orders overdue loans: a broken promise first, then days past due descending, with contact details', async () => {
    await post('/close-of-business', { businessDate: '2026-02-26' });
    const queue = await get('/collections/queue?at=2026-02-26T23:00:00%2B08:00');
    expect(queue.asOf).toBe('2026-02-26');
    expect(queue.items.map((i: { loanId: string; daysPastDue: number }) => [i.loanId, i.daysPastDue])).toEqual([
      ['L-B', 11],
      ['L-C', 42],
    ]);
    expect(queue.items[0]).toEqual({
      loanId: 'L-B',
      borrowerId: 'B-B',
      daysPastDue: 11,
      bucket: 'M1',
      amountDue: expect.stringMatching(/^11\d\d\.\d\d$/),
      brokenPromise: true,
      openPromise: null,
      lastContact: { at: '2026-02-20T11:00:00+08:00', channel: 'phone', outcome: 'promise-to-pay' },
      contactsLast7Days: 1,
      // 23:00 in Shanghai is within quiet hours: the next call may come at 08:00.
      nextAllowedContactAt: '2026-02-27T08:00:00+08:00',
      restrictions: [],
    });
    expect(queue.items[1]).toMatchObject({ brokenPromise: false, openPromise: null, lastContact: null, contactsLast7Days: 0 });

    const firstPage = await get('/collections/queue?limit=1&at=2026-02-26T23:00:00%2B08:00');
    expect(firstPage.items.map((i: { loanId: string }) => i.loanId)).toEqual(['L-B']);
    const secondPage = await get(`/collections/queue?limit=1&at=2026-02-26T23:00:00%2B08:00&cursor=${firstPage.nextCursor}`);
    expect(secondPage).toMatchObject({ items: [{ loanId: 'L-C' }], nextCursor: null });
    expect((await get('/collections/queue?bucket=M2')).items.map((i: { loanId: string }) => i.loanId)).toEqual(['L-C']);
  });

  it('shows stop requests honoured from when the borrower asked, and judges at the business clock unless told', async () => {
    await post('/borrowers/B-B/contact-restrictions', { restrictionId: 'R1', restriction: 'cease-all', requestedAt: '2026-02-21T09:00:00+08:00' });
    await post('/close-of-business', { businessDate: '2026-02-26' });
    const restriction = { kind: 'cease-all', channel: null, requestedAt: '2026-02-21T09:00:00+08:00', effectiveAt: '2026-02-21T09:00:00+08:00' };
    const queue = await get('/collections/queue?at=2026-02-26T23:00:00%2B08:00');
    expect(queue.items[0]).toMatchObject({ loanId: 'L-B', contactsLast7Days: 1, nextAllowedContactAt: null, restrictions: [restriction] });
    // Without `at`: judged at the engine's clock (2029-12-31), long after the contact of 2026-02-20.
    expect((await get('/collections/queue')).items[0]).toMatchObject({ loanId: 'L-B', contactsLast7Days: 0, restrictions: [restriction] });

    // A row the projection wrote before restrictions carried requestedAt: its effectiveAt is read as the requestedAt.
    const readModels = app.get<ReadModelDb>(READ_MODEL_DB);
    const legacy = [{ restrictionId: 'R1', kind: 'cease-all', effectiveAt: '2026-02-21T09:00:00+08:00' }];
    await readModels.updateTable(COLLECTION_BORROWERS_TABLE).set({ restrictions: JSON.stringify(legacy) }).where('borrower_id', '=', 'B-B').execute();
    expect((await get('/collections/queue?at=2026-02-26T23:00:00%2B08:00')).items[0]).toMatchObject({ nextAllowedContactAt: null, restrictions: [restriction] });
  });

  it('shows an open promise until it is settled', async () => {
    await post('/close-of-business', { businessDate: '2026-02-21' });
    const queue = await get('/collections/queue?at=2026-02-21T12:00:00%2B08:00');
    const b = queue.items.find((i: { loanId: string }) => i.loanId === 'L-B');
    expect(b).toMatchObject({ brokenPromise: false, openPromise: { amount: '500.00', dueOn: '2026-02-22' } });
  });
});
