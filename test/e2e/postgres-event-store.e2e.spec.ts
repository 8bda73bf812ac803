import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { verifyHashChains } from '../../src/audit/verify-hash-chains.js';
import { EVENT_STORE } from '../../src/kernel/event-store/event-store.port.js';
import type { UpcastingEventStore } from '../../src/kernel/event-store/upcasting-event-store.js';
import { getWhenProjected } from '../support/get-when-projected.js';
import { createTestApp } from '../support/test-app.js';
import { TEST_SCHEMA_PREFIX, testConfig } from '../support/test-config.js';

const url = process.env['TEST_POSTGRES_URL'];
if (!url) console.log('PostgreSQL event store e2e SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it');
const describeWithPostgres = url ? describe : describe.skip;

/** The engine on EVENT_STORE=postgres: commands, projections, the event log and a close of business. */
describeWithPostgres('the engine with its events in PostgreSQL', () => {
  const schema = `${TEST_SCHEMA_PREFIX}${randomUUID().replaceAll('-', '')}`;
  let app: NestFastifyApplication;
  const post = (path: string, payload: unknown) => app.inject({ method: 'POST', url: path, payload: payload as object });

  beforeAll(async () => {
    app = await createTestApp(testConfig({ EVENT_STORE: 'postgres', EVENT_STORE_URL: url!, EVENT_STORE_SCHEMA: schema }));
  });
  afterAll(async () => {
    await app?.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  });

  it('records commands, repeats none, projects them and closes a business day', async () => {
    expect((await post('/loans', originationRequest('L-pg'))).statusCode).toBe(201);
    expect((await post('/loans/L-pg/disbursements', disbursementRequest)).statusCode).toBeLessThan(300);
    const payment = paymentRequest('P-pg', '500.00', '2026-02-20');
    expect((await post('/loans/L-pg/payments', payment)).statusCode).toBeLessThan(300);
    expect((await post('/loans/L-pg/payments', payment)).statusCode).toBeLessThan(300);
    expect((await post('/close-of-business', { businessDate: '2026-03-17' })).statusCode).toBeLessThan(300);

    const status = await getWhenProjected(app, '/loans/L-pg/overdue-status');
    expect(status).toMatchObject({ loanId: 'L-pg', asOf: '2026-03-17', daysPastDue: 30 });
    const log = (await app.inject({ method: 'GET', url: '/loans/L-pg/events' })).json();
    const types: string[] = (log.events ?? log.items ?? log).map((event: { type: string }) => event.type);
    expect(types.filter((type) => type === 'PaymentReceived')).toHaveLength(1);
  });

  it('keeps every hash chain whole, and a row altered in the database breaks its chain there', async () => {
    const stored = app.get<UpcastingEventStore>(EVENT_STORE).stored;
    const intact = await verifyHashChains(stored);
    expect(intact.events).toBeGreaterThan(3);
    expect(intact.problems).toEqual([]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(
        `UPDATE "${schema}".events SET data = json_build_object('tampered', true)
         WHERE position = (SELECT min(e.position) FROM "${schema}".events e JOIN "${schema}".streams s USING (stream_number) WHERE s.name LIKE '%L-pg%' AND e.revision = 1)`,
      );
    } finally {
      await client.end();
    }
    const report = await verifyHashChains(stored);
    expect(report.problems).toEqual([expect.objectContaining({ revision: 1, problem: 'altered' })]);
  });
});
