import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { disbursementRequest, originationRequest } from '../fixtures/loan-requests.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

/**
 * The regulator report's cap check judges every loan's rates against the lending policy in
 * force on the report date, recorded with that date's close of business (issue 27): after a
 * move from `default` (cap 24%) to `cn-2027` (cap 12%), a loan at 18% is listed from the first
 * close under the new policy, and the report of an earlier date, closed under the old one,
 * stays as it was.
 */
describe('the cap check follows the policy in force on the report date', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-cap-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const engine = (policy: string) =>
    createTestApp(testConfig({ SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'), SQLITE_READ_MODELS_PATH: join(folder, 'read.sqlite'), LENDING_POLICY: policy }));
  const capCheck = async (app: NestFastifyApplication, asOf: string) => (await app.inject({ method: 'GET', url: `/reports/regulatory?asOf=${asOf}` })).json().currencies[0].capCheck;

  it('lists a loan above the new cap from the first close under it, and leaves earlier reports as they were', async () => {
    let app = await engine('default');
    expect((await app.inject({ method: 'POST', url: '/loans', payload: originationRequest('L-18', 'B-1') })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/loans/L-18/disbursements', payload: disbursementRequest })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/close-of-business', payload: { businessDate: '2026-01-31' } })).statusCode).toBe(200);
    const january = await app.inject({ method: 'GET', url: '/reports/regulatory?asOf=2026-01-31' });
    expect(january.json().basis.lendingPolicy).toEqual({ name: 'default', costCapAnnualRate: '0.24' });
    expect(january.json().currencies[0].capCheck).toEqual({ loansAboveCap: 0, loans: [] });
    await app.close();

    app = await engine('cn-2027');
    try {
      expect((await app.inject({ method: 'POST', url: '/close-of-business', payload: { businessDate: '2026-02-28' } })).statusCode).toBe(200);
      expect(await capCheck(app, '2026-02-28')).toEqual({ loansAboveCap: 1, loans: [{ loanId: 'L-18', rate: '0.18', penaltyRate: '0.24', cap: '0.12' }] });
      expect((await app.inject({ method: 'GET', url: '/reports/regulatory?asOf=2026-01-31' })).body).toBe(january.body);
      // And going forward a restructuring at 0.22 is refused under the new cap.
      const restructuring = await app.inject({
        method: 'POST',
        url: '/loans/L-18/restructurings',
        payload: { restructuringId: 'RS-1', effectiveOn: '2026-03-01', reason: 'hardship', termMonths: 12, annualInterestRate: '0.22', capitalise: false },
      });
      expect({ status: restructuring.statusCode, code: restructuring.json().code }).toEqual({ status: 409, code: 'RATE_ABOVE_CAP' });
    } finally {
      await app.close();
    }
  });
});
