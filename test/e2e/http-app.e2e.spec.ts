import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TEST_KEYS, bearer } from '../support/api-keys.js';
import { createTestApp } from '../support/test-app.js';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { TallyHttpModule } from '../fixtures/tally-http.module.js';
import { someEvents } from '../support/events.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

describe('HTTP application on the embedded default', () => {
  let app: NestFastifyApplication;
  let store: EventStore;
  const allEvents = async () => store.readAll(0, 1_000_000);
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers });

  beforeEach(async () => {
    const config = testConfig();
    app = await createTestApp(config, [TallyHttpModule]);
    store = app.get(EVENT_STORE);
  });
  afterEach(() => app.close());

  it('GET /health answers ok with the head of the log', async () => {
    await store.appendToStream('loan-1', someEvents(3), 'no-stream');
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', headPosition: 3, failedProjections: [] });
  });

  it('GET /projections shows each projection catching up with the log: version, checkpoint, lag, state', async () => {
    await store.appendToStream('loan-1', someEvents(40), 'no-stream');
    await waitFor(async () => {
      const reports: { checkpoint: number }[] = (await app.inject({ method: 'GET', url: '/projections' })).json();
      return reports.every((report) => report.checkpoint === 40);
    }, 'the projections to catch up');
    expect((await app.inject({ method: 'GET', url: '/projections' })).json()).toEqual([
      { name: 'stream-catalogue', version: 2, checkpoint: 40, lag: 0, state: 'live' },
      { name: 'loan-register', version: 4, checkpoint: 40, lag: 0, state: 'live' },
      { name: 'cob-work-index', version: 8, checkpoint: 40, lag: 0, state: 'live' },
      { name: 'overdue-status', version: 11, checkpoint: 40, lag: 0, state: 'live' },
      { name: 'collection-queue', version: 2, checkpoint: 40, lag: 0, state: 'live' },
    ]);
  });

  it('serves OpenAPI generated from the DTOs at /docs', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const document = (await app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/projections', '/tallies/{tallyId}/additions']));
    expect(document.components.schemas.AddToTallyDto.properties.amount.type).toBe('number');
  });

  describe('commands', () => {
    it("appends events carrying the Idempotency-Key, the correlation id and the key's principal (never its secret) in their metadata", async () => {
      const response = await post('/tallies', { tallyId: 't1' }, { 'idempotency-key': 'open-t1', 'x-correlation-id': 'batch-7', ...bearer('servicer') });
      expect(response.statusCode).toBe(201);
      const [event] = await allEvents();
      expect(event).toMatchObject({ stream: 'tally-t1', type: 'TallyOpened' });
      expect(event!.metadata).toMatchObject({ commandId: 'open-t1', correlationId: 'batch-7', causationId: 'open-t1', actor: 'test-servicer', schemaVersion: 1 });
      expect(JSON.stringify(event)).not.toContain(TEST_KEYS.servicer);
    });

    it('refuses unknown fields and wrong types with 400 and field messages, appending nothing', async () => {
      await post('/tallies', { tallyId: 't1' });
      const before = await allEvents();

      const unknown = await post('/tallies/t1/additions', { amount: 5, note: 'hello' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toEqual({
        code: 'REQUEST.INVALID',
        message: 'Invalid request: note',
        errors: [{ field: 'note', messages: ['property note should not exist'] }],
      });

      const wrongType = await post('/tallies/t1/additions', { amount: '5.5' });
      expect(wrongType.statusCode).toBe(400);
      expect(wrongType.json().errors).toEqual([{ field: 'amount', messages: expect.arrayContaining(['amount must be an integer number']) }]);

      const brokenJson = await app.inject({ method: 'POST', url: '/tallies/t1/additions', payload: '{"amount":', headers: { 'content-type': 'application/json' } });
      expect(brokenJson.statusCode).toBe(400);
      expect(brokenJson.json()).toEqual({ code: 'REQUEST.INVALID', message: expect.stringContaining('JSON') });

      const badKey = await post('/tallies/t1/additions', { amount: 5 }, { 'idempotency-key': 'has spaces' });
      expect(badKey.statusCode).toBe(400);

      expect(await allEvents()).toEqual(before);
    });

    it('maps an unknown aggregate to 404 and a broken business rule to 409 with its code, appending nothing', async () => {
      const missing = await post('/tallies/nope/additions', { amount: 5 });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ code: 'TALLY.NOT_FOUND', message: 'No such tally' });

      await post('/tallies', { tallyId: 't1' });
      const twice = await post('/tallies', { tallyId: 't1' });
      expect(twice.statusCode).toBe(409);
      expect(twice.json()).toEqual({ code: 'TALLY.ALREADY_OPEN', message: 'The tally is already open' });
      expect(await allEvents()).toHaveLength(1);
    });

    it('returns the first result for a repeated Idempotency-Key and refuses it for a different body', async () => {
      await post('/tallies', { tallyId: 't1' });
      const first = await post('/tallies/t1/additions', { amount: 5 }, { 'idempotency-key': 'pay-1' });
      const again = await post('/tallies/t1/additions', { amount: 5 }, { 'idempotency-key': 'pay-1' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await allEvents()).toHaveLength(2);

      const reused = await post('/tallies/t1/additions', { amount: 6 }, { 'idempotency-key': 'pay-1' });
      expect(reused.statusCode).toBe(409);
      expect(reused.json()).toMatchObject({ code: 'COMMAND.ID_REUSED' });
      expect(await allEvents()).toHaveLength(2);
    });
  });
});
