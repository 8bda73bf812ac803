import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { testPrincipalOf } from '../support/api-keys.js';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestApp } from '../support/test-app.js';
import { EVENT_STORE } from '../../src/kernel/event-store/event-store.port.js';
import type { UpcastingEventStore } from '../../src/kernel/event-store/upcasting-event-store.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { getWhenProjected } from '../support/get-when-projected.js';
import { testConfig } from '../support/test-config.js';
import { datesFrom } from '../support/calendar.js';

const days = datesFrom;

/** What must match between the twins: everything but the loan's own id. */
const withoutIds = (body: Record<string, unknown>) => {
  const { loanId: _loanId, borrowerId: _borrowerId, ...rest } = body;
  return rest;
};

describe('auditors replay history', () => {
  let folder: string;
  let config: ReturnType<typeof testConfig>;
  let app: NestFastifyApplication;
  let beforeLatePayment: string;
  const post = (url: string, payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload, headers });
  const get = (url: string) => getWhenProjected(app, url);

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-audit-'));
    config = testConfig({ SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'), SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite') });
    app = await createTestApp(config);
    // Twins: instalment 1 (1,100.16) due 2026-02-15 unpaid; A's payment on 02-20 is recorded that day,
    // B's — same amount, same day received — only after close of business ran through 03-02.
    for (const loanId of ['L-A', 'L-B']) {
      await post('/loans', originationRequest(loanId, `B-${loanId}`));
      await post(`/loans/${loanId}/disbursements`, disbursementRequest);
    }
    for (const day of days('2026-02-16', '2026-02-19')) await post('/close-of-business', { businessDate: day });
    // The same payment id on both loans; the command ids (Idempotency-Key) tell the two commands apart.
    expect((await post('/loans/L-A/payments', paymentRequest('P-1', '1200.00', '2026-02-20'), { 'idempotency-key': 'pay-A' })).statusCode).toBe(201);
    for (const day of days('2026-02-20', '2026-03-02')) await post('/close-of-business', { businessDate: day });
    beforeLatePayment = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late = await post('/loans/L-B/payments', paymentRequest('P-1', '1200.00', '2026-02-20'), { 'idempotency-key': 'pay-B' });
    expect(late.statusCode).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('the twins show identical balances, DPD and penalties from the payment date on', async () => {
    const [a, b] = [await get('/loans/L-A'), await get('/loans/L-B')];
    expect(withoutIds(b)).toEqual(withoutIds(a));
    expect(withoutIds(await get('/loans/L-B/overdue-status'))).toEqual(withoutIds(await get('/loans/L-A/overdue-status')));
    for (const day of days('2026-02-20', '2026-03-02')) {
      expect(withoutIds(await get(`/loans/L-B?asOf=${day}`))).toEqual(withoutIds(await get(`/loans/L-A?asOf=${day}`)));
      expect(withoutIds(await get(`/loans/L-B/overdue-status?asOf=${day}`))).toEqual(withoutIds(await get(`/loans/L-A/overdue-status?asOf=${day}`)));
    }
    expect(a.balances.fallenDue.penalty).toBe('0.00');
  });

  it("B's history keeps both stories: the penalty posted for days the payment had covered, and its adjustment", async () => {
    const { events } = await get('/loans/L-B/events');
    const types = events.map((e: { type: string }) => e.type);
    const posted = events.filter((e: { type: string; data: { from: string } }) => e.type === 'PenaltyAccrued' && e.data.from >= '2026-02-20');
    expect(posted).toHaveLength(11);
    expect(types.slice(-12)).toEqual(['PaymentReceived', ...Array(11).fill('PenaltyAdjusted')]);
    const adjusted = events.filter((e: { type: string }) => e.type === 'PenaltyAdjusted');
    expect(adjusted.reduce((sum: number, e: { data: { amount: number } }) => sum + e.data.amount, 0)).toBe(
      -posted.reduce((sum: number, e: { data: { amount: number } }) => sum + e.data.amount, 0),
    );
    expect(events.at(-1)).toMatchObject({ actor: testPrincipalOf('everything'), commandId: 'pay-B', revision: events.length - 1, metadata: { hash: expect.any(String) } });
    expect(events[0]).toMatchObject({ type: 'LoanOriginated', revision: 0, position: expect.any(Number), recordedAt: expect.any(String), correlationId: expect.any(String), causationId: expect.any(String) });
  });

  it('knownAt shows the earlier story of B: no payment, penalty still accruing', async () => {
    const earlier = await get(`/loans/L-B?asOf=2026-03-02&knownAt=${beforeLatePayment}`);
    expect(earlier.payments).toEqual([]);
    expect(earlier.asOf).toMatchObject({ businessDate: '2026-03-02', knownAt: beforeLatePayment, daysPastDue: 15 });
    // 920.16 overdue from 02-16 to 03-02: 15 days at 24% / 360.
    expect(earlier.balances.fallenDue.penalty).toBe((Math.round((92_016 * 0.24 * 15) / 360) / 100).toFixed(2));
    const status = await get(`/loans/L-B/overdue-status?knownAt=${beforeLatePayment}`);
    expect(status).toMatchObject({ asOf: '2026-03-02', daysPastDue: 15, bucket: 'M1', lastPayment: null });
    expect((await get('/loans/L-B/overdue-status')).daysPastDue).toBe(0);
    const before = await app.inject({ method: 'GET', url: '/loans/L-B?knownAt=2020-01-01T00:00:00Z' });
    expect(before.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/loans/L-B?asOf=2026-02-30' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/loans/L-B?knownAt=yesterday' })).statusCode).toBe(400);
  });

  it('collection events of a borrower, and 404s for unknown streams', async () => {
    await post('/borrowers/B-L-A/collection-contacts', {
      contactId: 'C-1', loanId: 'L-A', at: '2026-02-18T10:00:00+08:00', channel: 'phone', party: 'borrower', direction: 'outbound', connected: true, outcome: 'reached', agentId: 'agent-7',
    });
    const log = await get('/borrowers/B-L-A/collection-events');
    expect(log.events).toEqual([expect.objectContaining({ type: 'CollectionContactRecorded', revision: 0, data: expect.objectContaining({ contactId: 'C-1' }) })]);
    expect((await app.inject({ method: 'GET', url: '/loans/L-none/events' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/borrowers/B-none/collection-events' })).statusCode).toBe(404);
  });

  it('reads an event stored in its version 1 shape in the current one, leaving the stored bytes as they were', async () => {
    const store = app.get<UpcastingEventStore>(EVENT_STORE);
    const { policy: _policy, penaltyRateSource: _source, ...v1 } = { ...originationRequest('L-OLD', 'B-OLD'), principal: 1_200_000, penaltyAnnualRate: '0.27', penaltyRateSource: 'contract', policy: {}, gracePeriodDays: 3 };
    await store.stored.appendToStream('loan-L-OLD', [{ id: 'old-1', type: 'LoanOriginated', data: { ...v1, loanId: 'L-OLD' }, metadata: { schemaVersion: 1 } }], 'no-stream');
    const view = await get('/loans/L-OLD');
    expect(view.terms).toMatchObject({ policy: 'default', costCapAnnualRate: '0.24', penaltyRateSource: 'contract', penaltyAnnualRate: '0.27' });
    expect((await post('/loans/L-OLD/disbursements', disbursementRequest)).statusCode).toBe(201);
    const [raw] = await store.stored.readStream('loan-L-OLD');
    expect(raw!.data).not.toHaveProperty('policy');
    const [current] = await store.readStream('loan-L-OLD');
    expect(current!.data).toMatchObject({ policy: { name: 'default' } });
  });

  describe('the CLI', () => {
    const arrears = (...args: string[]) => {
      const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
      return spawnSync(process.execPath, [resolve('dist/src/cli.js'), ...args], {
        env: { ...inherited, SQLITE_EVENTS_PATH: config.SQLITE_EVENTS_PATH, SQLITE_READ_MODELS_PATH: config.SQLITE_READ_MODELS_PATH },
        encoding: 'utf8',
        timeout: 60_000,
      });
    };
    beforeAll(async () => {
      await getWhenProjected(app, '/projections');
      await app.close();
    });

    it('history prints a loan\'s events; export writes them as stored, as NDJSON', () => {
      const history = arrears('history', 'L-B');
      expect(history.status).toBe(0);
      expect(history.stdout.split('\n')[0]).toMatch(/^\s+0\s+\S+\s+LoanOriginated/);
      expect(history.stdout).toContain('PenaltyAdjusted');
      const out = join(folder, 'export.ndjson');
      const exported = arrears('export', '--out', out);
      expect(exported.status).toBe(0);
      const lines = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(lines.length).toBeGreaterThan(40);
      expect(lines.find((e) => e.stream === 'loan-L-OLD')).toMatchObject({ data: expect.not.objectContaining({ policy: expect.anything() }) });
      const one = arrears('export', '--loan', 'L-A');
      expect(one.stdout.trim().split('\n').every((line) => JSON.parse(line).stream === 'loan-L-A')).toBe(true);
      expect(arrears('history').status).toBe(2);
    });

    it('verify passes on a healthy store, and names the stream and revision after a byte is changed in the file', () => {
      const healthy = arrears('verify');
      expect(healthy.stderr).not.toContain('BROKEN');
      expect(healthy.status).toBe(0);
      expect(JSON.parse(healthy.stdout)).toMatchObject({ ok: true, hashChains: { problems: [] } });

      // One byte of one stored event: the reference of B's payment, in the SQLite file itself.
      const file = readFileSync(config.SQLITE_EVENTS_PATH);
      const at = file.indexOf(Buffer.from('"reference":"stmt-P-1"'));
      expect(at).toBeGreaterThan(0);
      expect(file.indexOf(Buffer.from('"reference":"stmt-P-1"'), at + 1)).toBeGreaterThan(0);
      file[at + 'reference":"stmt-P-'.length + 1] = '2'.charCodeAt(0);
      writeFileSync(config.SQLITE_EVENTS_PATH, file);

      const tampered = arrears('verify');
      expect(tampered.status).toBe(4);
      expect(tampered.stderr).toMatch(/BROKEN loan-L-[AB] revision \d+ \(position \d+\): altered/);
      const report = JSON.parse(tampered.stdout);
      expect(report.ok).toBe(false);
      expect(report.hashChains.problems).toHaveLength(1);
      expect(tampered.stderr).not.toContain('DIFFERS');
    });

    it('verify names a live projection row that the events do not give', () => {
      const readModels = new Database(config.SQLITE_READ_MODELS_PATH);
      readModels.prepare("UPDATE overdue_status SET times_30_dpd = 7 WHERE loan_id = 'L-A'").run();
      readModels.close();
      const run = arrears('verify');
      expect(run.status).toBe(4);
      expect(run.stderr).toMatch(/DIFFERS overdue-status\.overdue_status: only live: .*"loan_id":"L-A"/);
      expect(run.stderr).toMatch(/DIFFERS overdue-status\.overdue_status: only rebuilt: .*"loan_id":"L-A"/);
      const report = JSON.parse(run.stdout);
      expect(report.projections.find((p: { projection: string }) => p.projection === 'overdue-status').differences).toHaveLength(2);
      expect(report.projections.filter((p: { differences: unknown[] }) => p.differences.length > 0)).toHaveLength(1);
    });
  });
});
