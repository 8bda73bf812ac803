import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../support/test-app.js';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
import type { UpcastingEventStore } from '../../src/kernel/event-store/upcasting-event-store.js';
import { disbursementRequest, originationRequest } from '../fixtures/loan-requests.js';
import { TEST_CLOCK, testConfig } from '../support/test-config.js';

const contact = (contactId: string, at: string, overrides: Record<string, unknown> = {}) => ({
  contactId,
  loanId: 'L-1001',
  at,
  channel: 'phone',
  party: 'borrower',
  direction: 'outbound',
  connected: false,
  outcome: 'no-answer',
  agentId: 'agent-7',
  ...overrides,
});

describe('collections over HTTP', () => {
  let app: NestFastifyApplication;
  let store: EventStore;
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
  const get = (url: string) => app.inject({ method: 'GET', url });
  const collectionEvents = async () => store.readStream('collection-B-77');

  beforeEach(async () => {
    app = await createTestApp(testConfig());
    store = app.get(EVENT_STORE);
    await post('/loans', originationRequest('L-1001', 'B-77'));
    await post('/loans', originationRequest('L-2001', 'B-other'));
    await post('/loans/L-1001/disbursements', disbursementRequest);
  });
  afterEach(() => app.close());

  it('records every contact, keeping the rules it broke (cn quiet hours from 22:00 in Shanghai)', async () => {
    const lawful = await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T21:59:00+08:00'));
    expect(lawful.statusCode).toBe(201);
    expect(lawful.json()).toEqual({ contactId: 'C1', violations: [] });

    const late = await post('/borrowers/B-77/collection-contacts', contact('C2', '2026-03-02T22:00:00+08:00'));
    expect(late.statusCode).toBe(201);
    expect(late.json().violations).toEqual([{ rule: 'quiet-hours', message: expect.any(String) }]);
    const events = await collectionEvents();
    expect(events.map((e) => e.type)).toEqual(['CollectionContactRecorded', 'CollectionContactRecorded']);
    expect(events[1]!.data).toMatchObject({ contactId: 'C2', policy: 'cn', violations: [{ rule: 'quiet-hours' }] });
  });

  it('answers a permission check with the violations and the next allowed instant', async () => {
    const quiet = await get('/borrowers/B-77/contact-permission?loanId=L-1001&channel=phone&party=borrower&at=2026-03-02T22:30:00%2B08:00');
    expect(quiet.statusCode).toBe(200);
    expect(quiet.json()).toEqual({
      allowed: false,
      violations: [{ rule: 'quiet-hours', message: expect.any(String) }],
      nextAllowedAt: '2026-03-03T08:00:00+08:00',
    });
    const fine = await get('/borrowers/B-77/contact-permission?loanId=L-1001&channel=phone&party=borrower&at=2026-03-03T09:00:00%2B08:00');
    expect(fine.json()).toEqual({ allowed: true, violations: [], nextAllowedAt: '2026-03-03T09:00:00+08:00' });
  });

  it('honours a stop request from now when requestedAt is not given: later outbound contact breaks it and is never allowed', async () => {
    await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T10:00:00+08:00'));
    const stop = await post('/borrowers/B-77/contact-restrictions', { restrictionId: 'R1', restriction: 'cease-all', reason: 'borrower asked' });
    expect(stop.statusCode).toBe(201);
    // Now is the engine's business clock, not the machine's.
    const now = new Date(TEST_CLOCK).toISOString();
    expect(stop.json()).toEqual({ restrictionId: 'R1', requestedAt: now, effectiveAt: now, violationsFound: [] });
    const after = new Date(Date.parse(now) + 1).toISOString();
    const permission = await get(`/borrowers/B-77/contact-permission?loanId=L-1001&channel=sms&party=borrower&at=${after}`);
    expect(permission.json()).toMatchObject({ allowed: false, nextAllowedAt: null });
    expect(permission.json().violations.map((v: { rule: string }) => v.rule)).toContain('cease-communication');
    const broke = await post('/borrowers/B-77/collection-contacts', contact('C2', after, { channel: 'sms' }));
    expect(broke.json().violations.map((v: { rule: string }) => v.rule)).toContain('cease-communication');
    expect(broke.statusCode).toBe(201);
    const inbound = await post('/borrowers/B-77/collection-contacts', contact('C3', after, { direction: 'inbound', connected: true, outcome: 'reached' }));
    expect(inbound.json().violations).toEqual([]);
    const before = await get('/borrowers/B-77/contact-permission?loanId=L-1001&channel=sms&party=borrower&at=2026-03-02T10:30:00%2B08:00');
    expect(before.json()).toMatchObject({ allowed: true });
  });

  describe('a stop request honoured from when the borrower asked (requestedAt)', () => {
    const restriction = (payload: Record<string, unknown>) => post('/borrowers/B-77/contact-restrictions', { restrictionId: 'R1', restriction: 'cease-all', ...payload });

    it('finds a contact already recorded after requestedAt in violation, in the answer, the contact history and the log', async () => {
      await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T09:58:00+08:00'));
      // Said on the call at 10:00; the collector dialled again at 10:03 before it was keyed in at 10:05.
      await post('/borrowers/B-77/collection-contacts', contact('C2', '2026-03-02T10:03:00+08:00', { channel: 'sms' }));
      const stop = await restriction({ requestedAt: '2026-03-02T10:00:00+08:00', reason: 'said on the call at 10:00' });
      expect(stop.statusCode).toBe(201);
      const found = { contactId: 'C2', loanId: 'L-1001', at: '2026-03-02T10:03:00+08:00', rule: 'cease-communication', message: expect.stringContaining('10:00') };
      expect(stop.json()).toEqual({ restrictionId: 'R1', requestedAt: '2026-03-02T10:00:00+08:00', effectiveAt: '2026-03-02T10:00:00+08:00', violationsFound: [found] });

      const history = await get('/borrowers/B-77/collection-contacts');
      expect(history.statusCode).toBe(200);
      expect(history.json().contacts.map((c: { contactId: string; violations: unknown[] }) => [c.contactId, c.violations])).toEqual([
        ['C1', []],
        ['C2', [{ rule: 'cease-communication', message: expect.any(String), restrictionId: 'R1', foundWith: null }]],
      ]);
      expect(history.json().restrictions).toEqual([
        { restrictionId: 'R1', kind: 'cease-all', channel: null, requestedAt: '2026-03-02T10:00:00+08:00', effectiveAt: '2026-03-02T10:00:00+08:00' },
      ]);

      // The contact's own event is never edited: a new event adds the violation.
      const events = await collectionEvents();
      expect(events.map((e) => e.type)).toEqual(['CollectionContactRecorded', 'CollectionContactRecorded', 'ContactRestrictionRecorded', 'ContactViolationFound']);
      expect(events[1]!.data).toMatchObject({ contactId: 'C2', violations: [] });
      expect(events[2]!.metadata).toMatchObject({ schemaVersion: 2 });
      expect(events[3]!.data).toEqual({ ...found, madeOn: '2026-03-02', channel: 'sms', party: 'borrower', restrictionId: 'R1', message: expect.any(String) });
      const log = await get('/borrowers/B-77/collection-events');
      expect(log.json().events.map((e: { type: string }) => e.type)).toContain('ContactViolationFound');

      // A retry is the same command: the same answer, nothing appended.
      const again = await restriction({ requestedAt: '2026-03-02T10:00:00+08:00', reason: 'said on the call at 10:00' });
      expect(again.json()).toEqual(stop.json());
      expect(await collectionEvents()).toHaveLength(4);
    });

    it('judges a contact after requestedAt in violation as before, and one before it not', async () => {
      expect((await restriction({ restriction: 'channel-opt-out', channel: 'sms', requestedAt: '2026-03-02T10:00:00+08:00' })).json().violationsFound).toEqual([]);
      const afterwards = await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T10:30:00+08:00', { channel: 'sms' }));
      expect(afterwards.json().violations).toEqual([{ rule: 'channel-opt-out', message: expect.any(String) }]);
      const before = await post('/borrowers/B-77/collection-contacts', contact('C2', '2026-03-02T09:30:00+08:00', { channel: 'sms' }));
      expect(before.json().violations).toEqual([]);
      const permission = await get('/borrowers/B-77/contact-permission?loanId=L-1001&channel=sms&party=borrower&at=2026-03-02T10:00:00%2B08:00');
      expect(permission.json()).toMatchObject({ allowed: false, nextAllowedAt: null, violations: [{ rule: 'channel-opt-out' }] });
    });

    it('refuses a requestedAt later than now with 409 BUSINESS_DATE.IN_FUTURE, appending nothing', async () => {
      await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T10:00:00+08:00'));
      const future = await restriction({ requestedAt: '2029-12-31T13:00:00+08:00' });
      expect(future.statusCode).toBe(409);
      expect(future.json()).toMatchObject({ code: 'BUSINESS_DATE.IN_FUTURE', details: { field: 'requestedAt', now: new Date(TEST_CLOCK).toISOString() } });
      expect((await collectionEvents()).map((e) => e.type)).toEqual(['CollectionContactRecorded']);
      const malformed = await restriction({ requestedAt: '2026-03-02 10:00' });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().errors.map((e: { field: string }) => e.field)).toEqual(['requestedAt']);
    });

    it('reads a restriction recorded before requestedAt existed as requested at its effectiveAt', async () => {
      const store = app.get<UpcastingEventStore>(EVENT_STORE);
      const v1 = { restrictionId: 'R-OLD', kind: 'channel-opt-out', channel: 'sms', effectiveAt: '2026-03-02T10:00:00+08:00', reason: 'recorded by the old engine' };
      await store.stored.appendToStream('collection-B-77', [{ id: 'old-restriction', type: 'ContactRestrictionRecorded', data: v1, metadata: { schemaVersion: 1 } }], 'no-stream');
      const history = await get('/borrowers/B-77/collection-contacts');
      expect(history.json().restrictions).toEqual([
        { restrictionId: 'R-OLD', kind: 'channel-opt-out', channel: 'sms', requestedAt: '2026-03-02T10:00:00+08:00', effectiveAt: '2026-03-02T10:00:00+08:00' },
      ]);
      const broke = await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T10:00:00+08:00', { channel: 'sms' }));
      expect(broke.json().violations.map((v: { rule: string }) => v.rule)).toEqual(['channel-opt-out']);
    });

    it('has no contact history for a borrower never contacted', async () => {
      expect((await get('/borrowers/B-nobody/collection-contacts')).json()).toMatchObject({ code: 'COLLECTIONS.NO_HISTORY' });
    });
  });

  it('is idempotent by contact id', async () => {
    const first = await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T10:00:00+08:00'));
    const again = await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T10:00:00+08:00'));
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const other = await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T11:00:00+08:00'));
    expect(other.statusCode).toBe(409);
    expect(await collectionEvents()).toHaveLength(1);
  });

  it('refuses a contact in the future (409), for an unknown loan (404), about another borrower\'s loan (409), or malformed (400)', async () => {
    const future = await post('/borrowers/B-77/collection-contacts', contact('C1', '2030-01-01T10:00:00+08:00'));
    expect(future.statusCode).toBe(409);
    expect(future.json()).toMatchObject({ code: 'BUSINESS_DATE.IN_FUTURE', details: { field: 'at', today: '2029-12-31' } });
    expect(future.json().message).toContain('at 2030-01-01T10:00:00+08:00');
    expect((await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T10:00:00+08:00', { loanId: 'nope' }))).statusCode).toBe(404);
    const other = await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T10:00:00+08:00', { loanId: 'L-2001' }));
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'CONTACT.LOAN_OF_ANOTHER_BORROWER' });
    const malformed = await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02 10:00', { channel: 'fax', note: 'x'.repeat(2001) }));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['at', 'channel', 'note']);
    expect(await collectionEvents()).toEqual([]);
  });

  it('applies the configured preset and overrides, and records which on each contact', async () => {
    const usApp = await createTestApp(testConfig({ CONDUCT_POLICY: 'us', CONDUCT_POLICY_OVERRIDES: '{"us":{"daysAfterConversation":10}}' }));
    try {
      const send = (url: string, payload: object) => usApp.inject({ method: 'POST', url, payload });
      await send('/loans', originationRequest('L-1001', 'B-77'));
      // 21:30 in Shanghai: allowed under cn (quiet from 22:00), not under us (quiet from 21:00).
      const response = await send('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T21:30:00+08:00'));
      expect(response.json().violations.map((v: { rule: string }) => v.rule)).toEqual(['quiet-hours']);
      const [event] = await usApp.get<EventStore>(EVENT_STORE).readStream('collection-B-77');
      expect(event!.data).toMatchObject({ policy: 'us+daysAfterConversation' });
    } finally {
      await usApp.close();
    }
  });
});
