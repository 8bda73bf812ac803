import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestApp } from '../support/test-app.js';
import { disbursementRequest, originationRequest } from '../fixtures/loan-requests.js';
import { testConfig } from '../support/test-config.js';

const CLI = resolve('dist/src/cli.js');

/** The CLI as an operator runs it (`npm test` builds it first), on the server's store files. */
describe('arrears cob (CLI)', () => {
  let folder: string;
  let env: Record<string, string>;
  const arrears = (...args: string[]) => {
    const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
    return spawnSync(process.execPath, [CLI, ...args], { env: { ...inherited, ...env }, encoding: 'utf8', timeout: 60_000 });
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-cli-'));
    env = { SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'), SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite') };
    // Loans written by a server, which then stops; the CLI catches up the index it needs.
    const app = await createTestApp(testConfig({ ...env, PROJECTIONS_ENABLED: 'false' }));
    for (const loanId of ['L-1', 'L-2', 'L-3']) {
      await app.inject({ method: 'POST', url: '/loans', payload: originationRequest(loanId) });
      await app.inject({ method: 'POST', url: `/loans/${loanId}/disbursements`, payload: disbursementRequest });
    }
    await app.close();
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('runs close of business for a date with a progress bar, printing the counts as JSON', () => {
    const run = arrears('cob', '--date', '2026-02-18');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      businessDate: '2026-02-18',
      alreadyClosed: false,
      loansVisited: 3,
      eventsAppended: 6,
      instalmentsMissed: 3,
      penaltyAccruals: 3,
      delinquencyThresholds: 0,
      promisesKept: 0,
      promisesBroken: 0,
    });
    expect(run.stderr).toContain('close of business');
    expect(run.stderr).toContain('3/3 loans');
  });

  it('appends nothing for a date already closed, refuses an earlier one, and explains bad usage', () => {
    expect(JSON.parse(arrears('cob', '--date', '2026-02-18').stdout)).toMatchObject({ alreadyClosed: true, eventsAppended: 0 });
    const earlier = arrears('cob', '--date', '2026-02-17');
    expect(earlier.status).toBe(3);
    expect(earlier.stderr).toContain('COB.DATE_BEFORE_LAST_CLOSE');
    const bad = arrears('cob', '--date', '17/02/2026');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--date must be a calendar date YYYY-MM-DD');
    expect(arrears('cob', '--when', 'today').status).toBe(2);
  });

  it('refuses a date after today: a day closed can never be reopened', () => {
    const future = arrears('cob', '--date', '2099-12-31');
    expect(future.status).toBe(3);
    expect(future.stderr).toContain('BUSINESS_DATE.IN_FUTURE');
    expect(future.stderr).toContain("businessDate 2099-12-31 is after today's business date");
    expect(JSON.parse(arrears('cob', '--date', '2026-02-18').stdout)).toMatchObject({ alreadyClosed: true });
  });
});
