import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { commandEventId } from '../../src/kernel/commands/command-event-id.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import { createTestApp } from '../support/test-app.js';
import { EVENT_STORE, type EventStore, type StreamReadAhead } from '../../src/kernel/event-store/event-store.port.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { testConfig } from '../support/test-config.js';

describe('close of business over HTTP', () => {
  let app: NestFastifyApplication;
  let store: EventStore;
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
  const cob = (businessDate: string) => post('/close-of-business', { businessDate });
  const loanEvents = async (loanId: string) => (await store.readStream(`loan-${loanId}`)).map((e) => e.type);

  beforeEach(async () => {
    app = await createTestApp(testConfig());
    store = app.get(EVENT_STORE);
    for (const loanId of ['L-paid', 'L-late', 'L-later']) {
      await post('/loans', originationRequest(loanId));
      await post(`/loans/${loanId}/disbursements`, disbursementRequest);
    }
    await post('/loans/L-paid/payments', paymentRequest('P1', '1100.16', '2026-02-15'));
  });
  afterEach(() => app.close());

  it('visits only loans with something due, records missed instalments and penalty, and counts what it did', async () => {
    const response = await cob('2026-02-18');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      businessDate: '2026-02-18',
      alreadyClosed: false,
      loansVisited: 2,
      eventsAppended: 4,
      instalmentsMissed: 2,
      penaltyAccruals: 2,
      delinquencyThresholds: 0,
      promisesKept: 0,
      promisesBroken: 0,
    });
    expect(await loanEvents('L-late')).toEqual(['LoanOriginated', 'LoanDisbursed', 'InstalmentMissed', 'PenaltyAccrued']);
    expect(await loanEvents('L-paid')).toEqual(['LoanOriginated', 'LoanDisbursed', 'PaymentReceived']);
    const late = (await app.inject({ method: 'GET', url: '/loans/L-late' })).json();
    expect(late.schedule[0].outstanding).toEqual({ principal: '920.16', interest: '180.00', penalty: '1.84', total: '1102.00' });
  });

  it('names each page of loans to the store, as their loads will read them (the read-ahead hint)', async () => {
    const calls: string[] = [];
    // The test app's log is in memory, which no thread can read ahead of, so its store offers
    // no readAhead: one is given to it here, as a store that reads ahead has.
    const hints = jest.fn((_streams: readonly StreamReadAhead[]) => void calls.push('readAhead'));
    Object.assign(store, { readAhead: hints });
    jest.spyOn(store, 'appendToStreams').mockImplementation(async function (this: EventStore, ...args) {
      calls.push('appendToStreams');
      return Object.getPrototypeOf(store).appendToStreams.apply(store, args);
    });
    await cob('2026-02-18');

    // Each page is named before it is decided and appended, and the next one with it.
    expect(calls).toEqual(['readAhead', 'readAhead', 'appendToStreams']);

    const [firstPage, ...later] = hints.mock.calls.map(([streams]) => streams);
    expect(firstPage!.map((hint) => hint.stream)).toEqual(['loan-L-late', 'loan-L-later']);
    for (const hint of firstPage!) expect(hint.snapshotSchema).toBe(loanDecider.snapshotting!.schema);
    // The id the close's idempotency lookup looks for: the one its first event on the loan got.
    const [, , missed] = await store.readStream('loan-L-late');
    expect(firstPage![0]!.eventId).toBe(commandEventId('loan-L-late', 'cob:2026-02-18:L-late', 0));
    expect(missed!.id).toBe(firstPage![0]!.eventId);
    // Then the page after it, named while the first was decided: none here.
    expect(later).toEqual([[]]);
  });

  it('appends nothing when a date is closed twice, and refuses an earlier date with 409', async () => {
    await cob('2026-02-18');
    const before = await store.headPosition();
    expect((await cob('2026-02-18')).json()).toMatchObject({ alreadyClosed: true, eventsAppended: 0 });
    const earlier = await cob('2026-02-17');
    expect(earlier.statusCode).toBe(409);
    expect(earlier.json()).toMatchObject({ code: 'COB.DATE_BEFORE_LAST_CLOSE' });
    expect(await store.headPosition()).toBe(before);
  });

  it('a catch-up over five days posts the same penalty as five daily runs', async () => {
    for (const day of ['2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']) await cob(day);
    const daily = (await app.inject({ method: 'GET', url: '/loans/L-late' })).json().balances.fallenDue.penalty;

    const catchUp = await createTestApp(testConfig());
    try {
      const postTo = (url: string, payload: unknown) => catchUp.inject({ method: 'POST', url, payload: payload as object });
      await postTo('/loans', originationRequest('L-late'));
      await postTo('/loans/L-late/disbursements', disbursementRequest);
      await postTo('/close-of-business', { businessDate: '2026-02-18' });
      await postTo('/close-of-business', { businessDate: '2026-02-23' });
      expect((await catchUp.inject({ method: 'GET', url: '/loans/L-late' })).json().balances.fallenDue.penalty).toBe(daily);
    } finally {
      await catchUp.close();
    }
    // round(92,016 × 0.24 / 360 × 8 days) = 490.75 → 491
    expect(daily).toBe('4.91');
  });

  it('refuses a malformed business date with 400', async () => {
    const response = await cob('2026-02-30');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ field: 'businessDate', messages: ['businessDate must be a calendar date YYYY-MM-DD, not before 1970-01-01'] }]);
  });
});
