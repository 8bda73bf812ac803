import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { bearer } from '../support/api-keys.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

describe('limits: body size, rate per key, page size, note lengths', () => {
  let app: NestFastifyApplication;
  let store: EventStore;
  const eventCount = async () => (await store.readAll(0, 1_000_000)).length;

  beforeEach(async () => {
    app = await createTestApp(testConfig({ MAX_BODY_BYTES: '2048', RATE_LIMIT_PER_MINUTE: '40' }));
    store = app.get(EVENT_STORE);
    await app.inject({ method: 'POST', url: '/loans', payload: originationRequest('L-1', 'B-1') });
    await app.inject({ method: 'POST', url: '/loans/L-1/disbursements', payload: disbursementRequest });
  });
  afterEach(() => app.close());

  it('refuses a body over MAX_BODY_BYTES with 413 before reading it, appending nothing', async () => {
    const before = await eventCount();
    const oversized = { ...paymentRequest('P-big', '1.00', '2026-02-15'), reference: 'x'.repeat(4096) };
    const response = await app.inject({ method: 'POST', url: '/loans/L-1/payments', payload: oversized, headers: bearer('servicer') });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ code: 'REQUEST.TOO_LARGE', message: expect.stringMatching(/2048 bytes/) });
    expect(await eventCount()).toBe(before);
  });

  it('answers 429 with retry-after once a key has made RATE_LIMIT_PER_MINUTE requests, counting each key apart', async () => {
    const before = await eventCount();
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await app.inject({ method: 'GET', url: '/overdue/summary', headers: bearer('viewer') })).statusCode);
    expect(statuses.slice(0, 40).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(40)).toEqual([429, 429, 429, 429, 429]);

    const limited = await app.inject({ method: 'POST', url: '/loans/L-1/payments', payload: paymentRequest('P-1', '1.00', '2026-02-15'), headers: bearer('viewer') });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ code: 'REQUEST.RATE_LIMITED', message: expect.stringMatching(/40 requests a minute/) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await eventCount()).toBe(before);

    expect((await app.inject({ method: 'GET', url: '/overdue/summary', headers: bearer('auditor') })).statusCode).toBe(200);
  });

  it('never limits /health: keyless requests from one address beyond the limit are refused, health checks from it are not', async () => {
    const keyless = { authorization: '' };
    const statuses: number[] = [];
    for (let i = 0; i < 42; i++) statuses.push((await app.inject({ method: 'GET', url: '/overdue/summary', headers: keyless })).statusCode);
    expect(statuses.at(-1)).toBe(429);
    for (let i = 0; i < 50; i++) expect((await app.inject({ method: 'GET', url: '/health', headers: keyless })).statusCode).toBe(200);
  });

  it('refuses a page larger than 500 rows', async () => {
    for (const url of ['/overdue?limit=501', '/collections/queue?limit=100000']) {
      const response = await app.inject({ method: 'GET', url, headers: bearer('viewer') });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ field: 'limit', messages: [expect.stringMatching(/500/)] }] });
    }
  });

  it('refuses notes, reasons and references over their length, naming the field', async () => {
    await app.close();
    app = await createTestApp(testConfig());
    store = app.get(EVENT_STORE);
    await app.inject({ method: 'POST', url: '/loans', payload: originationRequest('L-1', 'B-1') });
    await app.inject({ method: 'POST', url: '/loans/L-1/disbursements', payload: disbursementRequest });
    const contact = {
      contactId: 'C-1', loanId: 'L-1', at: '2026-03-02T10:00:00+08:00', channel: 'phone', party: 'borrower', direction: 'outbound',
      connected: true, outcome: 'no-answer', agentId: 'agent-7', note: 'n'.repeat(2001),
    };
    const cases = [
      { url: '/borrowers/B-1/collection-contacts', payload: contact, field: 'note', key: 'collector' as const },
      { url: '/loans/L-1/payments', payload: { ...paymentRequest('P-2', '1.00', '2026-02-15'), reference: 'r'.repeat(129) }, field: 'reference', key: 'servicer' as const },
      { url: '/loans/L-1/write-offs', payload: { writeOffId: 'W-1', writtenOffOn: '2026-09-01', reason: 'r'.repeat(501) }, field: 'reason', key: 'servicer' as const },
    ];
    const before = await eventCount();
    for (const { url, payload, field, key } of cases) {
      const response = await app.inject({ method: 'POST', url, payload, headers: bearer(key) });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
      expect(response.json().errors).toContainEqual({ field, messages: [expect.stringMatching(/shorter than or equal to/)] });
    }
    expect(await eventCount()).toBe(before);
  });
});
