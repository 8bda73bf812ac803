import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../support/test-app.js';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
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

  it('honours a stop request from when it is recorded: later outbound contact breaks it and is never allowed', async () => {
    await post('/borrowers/B-77/collection-contacts', contact('C1', '2026-03-02T10:00:00+08:00'));
    const stop = await post('/borrowers/B-77/contact-restrictions', { restrictionId: 'R1', restriction: 'cease-all', reason: 'borrower asked' });
    expect(stop.statusCode).toBe(201);
    // Now is the engine's business clock, not the machine's.
    const { effectiveAt } = stop.json();
    expect(effectiveAt).toBe(new Date(TEST_CLOCK).toISOString());
    const after = new Date(Date.parse(effectiveAt) + 1).toISOString();
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
    const usApp = await createTestApp(testConfig({ CONDUCT_POLICY: 'us', CONDUCT_POLICY_OVERRIDES: '{"daysAfterConversation":3}' }));
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
