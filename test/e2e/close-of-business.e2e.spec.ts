import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { commandEventId } from '../../src/kernel/commands/command-event-id.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import { createTestApp } from '../support/test-app.js';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
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
    const hints = jest.spyOn(store as Required<EventStore>, 'readAhead');
    hints.mockImplementation(() => void calls.push('readAhead'));
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
    // The date's first run looks up no command id, so it names none to read ahead.
    for (const hint of firstPage!) expect(hint.eventId).toBeUndefined();
    // Then the page after it, named while the first was decided: none here.
    expect(later).toEqual([[]]);
  });

  /** Makes the next close stop after its loans' commands, before its day is recorded closed, as a crash there would. */
  const stopBeforeTheDayIsClosed = () => {
    const appendToStream = store.appendToStream.bind(store);
    return jest.spyOn(store, 'appendToStream').mockImplementation(async (stream, ...rest) => {
      if (stream === 'close-of-business') throw new Error('the process stopped');
      return appendToStream(stream, ...rest);
    });
  };
  // Four daily closes take L-late and L-later to seven events (revisions 0-6); the fifth
  // appends the eighth with the loan's first snapshot (one every 8 events). From then on a
  // loan loads from its snapshot with no events past it, so the idempotency lookup cannot
  // answer from the events loaded and asks the store (locateEvent).
  const closeDaily = async (days: readonly string[]) => {
    for (const day of days) expect((await cob(day)).statusCode).toBe(200);
  };

  it("records that the date's close started before any loan's command, and its first run looks up no command id", async () => {
    await closeDaily(['2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22']);
    const lookups = jest.spyOn(store, 'locateEvent');
    expect((await cob('2026-02-23')).json()).toMatchObject({ loansVisited: 2, penaltyAccruals: 2 });
    // Each loan's snapshot covers its whole stream: without the record of a first run, each command id was looked up.
    expect(lookups.mock.calls.filter(([, stream]) => stream.startsWith('loan-'))).toEqual([]);

    const started = await store.readStream('close-of-business-runs');
    expect(started.map((e) => [e.type, e.data])).toEqual(
      ['2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23'].map((businessDate) => ['CloseOfBusinessStarted', { businessDate }]),
    );
    const penalty = (await store.readStream('loan-L-late')).at(-1)!;
    expect(penalty.metadata['commandId']).toBe('cob:2026-02-23:L-late');
    expect(started.at(-1)!.position).toBeLessThan(penalty.position);
  });

  it('a run after one that stopped part-way looks up each command id, and appends nothing twice', async () => {
    await closeDaily(['2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21']);
    const stop = stopBeforeTheDayIsClosed();
    expect((await cob('2026-02-22')).statusCode).toBe(500);
    stop.mockRestore();
    const afterStoppedRun = await loanEvents('L-late');
    expect(afterStoppedRun).toHaveLength(8);

    const lookups = jest.spyOn(store, 'locateEvent');
    const hints = jest.spyOn(store as Required<EventStore>, 'readAhead');
    const again = await cob('2026-02-22');
    expect(again.json()).toMatchObject({ alreadyClosed: false, loansVisited: 2, eventsAppended: 0, penaltyAccruals: 0 });
    // Each loan's command was found where the stopped run left it (under the snapshot it wrote), by the id its first event got.
    const firstEventIds = ['L-late', 'L-later'].map((loanId) => commandEventId(`loan-${loanId}`, `cob:2026-02-22:${loanId}`, 0));
    expect(lookups.mock.calls.filter(([, stream]) => stream.startsWith('loan-')).map(([eventId]) => eventId)).toEqual(firstEventIds);
    expect(hints.mock.calls[0]![0].map((hint) => hint.eventId)).toEqual(firstEventIds);
    expect(await loanEvents('L-late')).toEqual(afterStoppedRun);
    expect((await store.readStream('close-of-business-runs')).filter((e) => (e.data as { businessDate: string }).businessDate === '2026-02-22')).toHaveLength(1);
    expect((await store.readStream('close-of-business')).map((e) => (e.data as { businessDate: string }).businessDate)).toEqual([
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
    ]);
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
