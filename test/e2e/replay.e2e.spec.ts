import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestApp } from '../support/test-app.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { getWhenProjected } from '../support/get-when-projected.js';
import { SqliteRunLock } from '../../src/infrastructure/sqlite/sqlite-run-lock.js';
import { seedEventLog } from '../support/seed-event-log.js';
import { testConfig } from '../support/test-config.js';

/** `arrears replay` as an operator runs it (`npm test` builds it first), on the server's store files. */
describe('arrears replay (CLI)', () => {
  let folder: string;
  let env: Record<string, string>;
  const arrears = (...args: string[]) => {
    const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
    return spawnSync(process.execPath, [resolve('dist/src/cli.js'), ...args], { env: { ...inherited, ...env }, encoding: 'utf8', timeout: 180_000 });
  };
  const rowsOf = (table: string) => {
    const db = new Database(env['SQLITE_READ_MODELS_PATH']!, { readonly: true });
    try {
      return db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all();
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-replay-'));
    env = { SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'), SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite') };
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('rebuilds every projection into fresh tables that hold exactly the rows the live ones did, while a server keeps answering', async () => {
    const app = await createTestApp(testConfig(env));
    for (const loanId of ['L-1', 'L-2', 'L-3']) {
      await app.inject({ method: 'POST', url: '/loans', payload: originationRequest(loanId) });
      await app.inject({ method: 'POST', url: `/loans/${loanId}/disbursements`, payload: disbursementRequest });
    }
    await app.inject({ method: 'POST', url: '/loans/L-1/payments', payload: paymentRequest('P-1', '1100.16', '2026-02-15') });
    await app.inject({ method: 'POST', url: '/close-of-business', payload: { businessDate: '2026-03-31' } });
    const before = await getWhenProjected(app, '/overdue/summary');
    const tables = ['stream_catalogue', 'loan_register', 'cob_work_index', 'overdue_status', 'overdue_status_as_of'];
    const rowsBefore = tables.map(rowsOf);

    const run = arrears('replay');
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('replay');
    const result = JSON.parse(run.stdout);
    expect(result.projections.map((p: { name: string }) => p.name)).toEqual(['stream-catalogue', 'loan-register', 'cob-work-index', 'overdue-status', 'collection-queue']);
    expect(tables.map(rowsOf)).toEqual(rowsBefore);

    // The server's projections carry on from the swapped-in checkpoint: a new payment shows.
    await app.inject({ method: 'POST', url: '/loans/L-2/payments', payload: paymentRequest('P-2', '3000.00', '2026-04-01') });
    expect((await getWhenProjected(app, '/loans/L-2/overdue-status')).daysPastDue).toBe(0);
    expect((await getWhenProjected(app, '/overdue/summary')).asOf).toBe(before.asOf);
    await app.close();

    const one = arrears('replay', '--projection', 'loan-register');
    expect(JSON.parse(one.stdout).projections).toEqual([{ name: 'loan-register', version: expect.any(Number) }]);
    expect(arrears('replay', '--projection', 'nonsense').status).toBe(2);
  }, 60_000);

  it('refuses a replay while another runs on the same files, naming it, and leaves the read models as they were', async () => {
    const app = await createTestApp(testConfig(env));
    await app.inject({ method: 'POST', url: '/loans', payload: originationRequest('L-1') });
    await app.inject({ method: 'POST', url: '/loans/L-1/disbursements', payload: disbursementRequest });
    await getWhenProjected(app, '/loans/L-1/overdue-status');
    await app.close();
    const rowsBefore = rowsOf('overdue_status');

    // Both would build in the one scratch file: the second removed the first's and started its
    // own there, which the first then swapped in, half built (once, every table empty).
    const scratch = `${env['SQLITE_READ_MODELS_PATH']!}.replay`;
    const held = await new SqliteRunLock(env['SQLITE_EVENTS_PATH']!).whileHolding('replay', 'replay of everything', async () => {
      writeFileSync(scratch, 'the running replay is building here');
      const second = arrears('replay');
      return { second, scratchAfter: readFileSync(scratch, 'utf8') };
    });
    expect(held.ran).toBe(true);
    const refused = held.ran ? held.result.second : undefined;
    expect(held.ran && held.result.scratchAfter).toBe('the running replay is building here');
    rmSync(scratch);
    expect(refused?.status).toBe(3);
    expect(refused?.stdout).toBe('');
    expect(refused?.stderr).toContain('REPLAY.IN_PROGRESS: A replay is already running on this store: arrears ');
    expect(refused?.stderr).toContain(`pid ${process.pid}: replay of everything`);
    expect(rowsOf('overdue_status')).toEqual(rowsBefore);

    // Once that one has finished, a replay runs.
    expect(arrears('replay').status).toBe(0);
    expect(rowsOf('overdue_status')).toEqual(rowsBefore);
  }, 60_000);

  it('replays a 1,000,000-event store, showing progress, to the end', async () => {
    const head = await seedEventLog(env['SQLITE_EVENTS_PATH']!, 1_000, 1_000, 250);
    expect(head).toBe(1_000_000);
    const run = arrears('replay');
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/replay .*\/1000000 events/);
    expect(JSON.parse(run.stdout)).toMatchObject({ position: 1_000_000, events: 1_000_000 });
    const catalogue = rowsOf('stream_catalogue') as { event_count: number }[];
    expect(catalogue).toHaveLength(1_000);
    expect(catalogue.reduce((sum, row) => sum + row.event_count, 0)).toBe(1_000_000);
  }, 240_000);
});
