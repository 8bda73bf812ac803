import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestApp } from '../support/test-app.js';
import { originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { REPORT_DATE, buildScriptedPortfolio } from '../fixtures/scripted-portfolio.js';
import { getWhenProjected } from '../support/get-when-projected.js';
import { testConfig } from '../support/test-config.js';

// ---- Figures by hand --------------------------------------------------------------------
// 12,000.00 at 18% over 12 months: payment round(P·r / (1 − (1+r)^−12)) = 1,100.16, interest
// round(balance × 1.5%), the last instalment takes what principal remains. Minor units.
const schedule = (() => {
  const lines: { principal: number; interest: number }[] = [];
  let balance = 1_200_000;
  for (let k = 1; k <= 12; k++) {
    const interest = Math.floor((balance * 15 + 500) / 1000);
    const principal = k === 12 ? balance : 110_016 - interest;
    lines.push({ principal, interest });
    balance -= principal;
  }
  return lines;
})();
const principalOf = (instalment: number) => schedule[instalment - 1]!.principal;
const principalOfFirst = (count: number) => schedule.slice(0, count).reduce((sum, line) => sum + line.principal, 0);
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const addMonths = (date: string, months: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};
/** Penalty at 24% a year, /360, on one instalment's principal for `n` days, rounded half-up. */
const penalty = (principal: number, n: number) => Math.floor((principal * 24 * n * 2 + 36_000) / 72_000);
/** Penalty accrued on instalment `k` of a loan whose first due date is `firstDue`, between two days (the first excluded). */
const penaltyBetween = (firstDue: string, k: number, after: string, through: string) => {
  const due = addMonths(firstDue, k - 1);
  const upTo = (day: string) => (day > due ? penalty(principalOf(k), days(due, day)) : 0);
  return upTo(through) - upTo(after);
};
const cny = (minor: number) => `${Math.trunc(minor / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`;
const ratio = (part: number, whole: number) => (part / whole).toFixed(6);

// Principal outstanding on the report date.
const ONTIME = 1_200_000 - principalOfFirst(5);
const LATE = 1_200_000 - principalOfFirst(3);
const CURED = 1_200_000 - principalOfFirst(5);
const WHOLE = 1_200_000;
const ON_BOOKS = ONTIME + LATE + CURED + WHOLE /* L-RS */ + WHOLE /* L-400 */ + WHOLE /* L-DPD1 */ + WHOLE; /* L-NEW */

describe('the regulator report and credit histories over a scripted portfolio', () => {
  let folder: string;
  let config: ReturnType<typeof testConfig>;
  let app: NestFastifyApplication;
  const get = (url: string) => app.inject({ method: 'GET', url });
  const start = async () => {
    app = await createTestApp(config);
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-reports-'));
    config = testConfig({ SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'), SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite') });
    await start();
    await buildScriptedPortfolio(app);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('the loans stand where the script put them on the report date (the cure paid exactly what was overdue)', async () => {
    const status = (loanId: string) => getWhenProjected(app, `/loans/${loanId}/overdue-status`);
    expect(await status('L-CURED')).toMatchObject({ daysPastDue: 0, principalOutstanding: cny(CURED) });
    expect(await status('L-LATE')).toMatchObject({ daysPastDue: 36, principalOutstanding: cny(LATE) });
    expect(await status('L-400')).toMatchObject({ daysPastDue: 401 });
  });

  it('portfolio by class, bucket and stage; NPL and overdue ratios', async () => {
    const response = await get(`/reports/regulatory?asOf=${REPORT_DATE}`);
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({ asOf: REPORT_DATE, period: { from: '2026-06-01', to: REPORT_DATE }, previousMonthEnd: '2026-05-31', basis: { closeOfBusiness: REPORT_DATE } });
    expect(report.currencies).toHaveLength(1);
    const { currency, portfolio } = report.currencies[0];
    expect(currency).toBe('CNY');
    expect(portfolio.loans).toBe(7);
    expect(portfolio.principalOutstanding).toBe(cny(ON_BOOKS));
    expect(portfolio.byClass).toEqual([
      { class: 'normal', loans: 3, principal: cny(ONTIME + CURED + WHOLE) },
      { class: 'special-mention', loans: 2, principal: cny(LATE + WHOLE) },
      // L-RS was restructured 105 days past due (substandard): not upgraded during its observation period.
      { class: 'substandard', loans: 1, principal: cny(WHOLE) },
      { class: 'doubtful', loans: 0, principal: '0.00' },
      { class: 'loss', loans: 1, principal: cny(WHOLE) },
    ]);
    expect(portfolio.byBucket).toEqual([
      { bucket: 'C', loans: 4, principal: cny(ONTIME + CURED + WHOLE + WHOLE) },
      { bucket: 'M1', loans: 1, principal: cny(WHOLE) },
      { bucket: 'M2', loans: 1, principal: cny(LATE) },
      { bucket: 'M3', loans: 0, principal: '0.00' },
      { bucket: 'M4', loans: 0, principal: '0.00' },
      { bucket: 'M5', loans: 0, principal: '0.00' },
      { bucket: 'M6', loans: 0, principal: '0.00' },
      { bucket: 'M7+', loans: 1, principal: cny(WHOLE) },
    ]);
    expect(portfolio.byStage).toEqual([
      { stage: 1, loans: 5, principal: cny(ONTIME + CURED + WHOLE + WHOLE + WHOLE) },
      { stage: 2, loans: 1, principal: cny(LATE) },
      { stage: 3, loans: 1, principal: cny(WHOLE) },
    ]);
    expect(portfolio.nplRatio).toBe(ratio(WHOLE + WHOLE, ON_BOOKS));
    expect(portfolio.overdueRatioDpdOver30).toBe(ratio(LATE + WHOLE, ON_BOOKS));
    expect(portfolio.overdueRatioDpdOver90).toBe(ratio(WHOLE, ON_BOOKS));
  });

  it('flows from the first of the month: disbursements, payments, penalties accrued and waived, restructurings, write-offs, recoveries', async () => {
    const { flows } = (await get(`/reports/regulatory?asOf=${REPORT_DATE}`)).json().currencies[0];
    // Penalty posted in June: L-LATE's instalments 4 and 5 through the 20th; L-CURED's 2-4 until the cure on the 5th
    // (no penalty on the day principal is paid); every instalment of L-400 through the 20th; L-WO's 1-6 through its write-off.
    const late = penaltyBetween('2026-02-15', 4, '2026-05-31', REPORT_DATE) + penaltyBetween('2026-02-15', 5, '2026-05-31', REPORT_DATE);
    const cured = [2, 3, 4].reduce((sum, k) => sum + penaltyBetween('2026-02-15', k, '2026-05-31', '2026-06-04'), 0);
    const fourHundred = Array.from({ length: 12 }, (_, i) => penaltyBetween('2025-05-15', i + 1, '2026-05-31', REPORT_DATE)).reduce((a, b) => a + b);
    const writtenOff = Array.from({ length: 6 }, (_, i) => penaltyBetween('2025-12-15', i + 1, '2026-05-31', '2026-06-10')).reduce((a, b) => a + b);
    const writtenOffPenalty = Array.from({ length: 6 }, (_, i) => penaltyBetween('2025-12-15', i + 1, '2025-12-15', '2026-06-10')).reduce((a, b) => a + b);
    const writtenOffInterest = schedule.slice(0, 6).reduce((sum, line) => sum + line.interest, 0);
    expect(flows).toEqual({
      disbursements: { count: 1, amount: '12000.00' },
      paymentsReceived: { count: 3, amount: cny(110_016 + 339_534 + 110_016) },
      paymentsReversed: { count: 0, amount: '0.00' },
      // Penalty accrued for June's days on four loans (L-LATE, L-CURED, L-400, L-WO), however the closes, the cure, the waiver and the write-off posted it.
      penaltiesAccrued: { count: 4, amount: cny(late + cured + fourHundred + writtenOff) },
      penaltiesAdjusted: { count: 0, amount: '0.00' },
      penaltiesWaived: { count: 1, amount: '10.00' },
      restructurings: { count: 1, principal: '12000.00' },
      writeOffs: { count: 1, principal: '12000.00', interest: cny(writtenOffInterest), penalty: cny(writtenOffPenalty) },
      recoveries: { count: 1, amount: '500.00' },
      refunds: { count: 0, amount: '0.00' },
      corrections: {
        waiverReversals: { count: 0, amount: '0.00' },
        writeOffReversals: { count: 0, principal: '0.00', interest: '0.00', penalty: '0.00' },
        restructuringReversals: { count: 0 },
        originationsCancelled: { count: 0 },
      },
    });
  });

  it('roll rates from the bucket at the end of May to the report date, by count and by May-end principal', async () => {
    const { rollRates } = (await get(`/reports/regulatory?asOf=${REPORT_DATE}`)).json().currencies[0];
    const cells = rollRates.flatMap((row: { from: string; to: { to: string; loans: number; principal: string }[] }) =>
      row.to.filter((cell) => cell.loans > 0).map((cell) => [row.from, cell.to, cell.loans, cell.principal]),
    );
    expect(cells).toEqual([
      ['C', 'C', 1, cny(1_200_000 - principalOfFirst(4))], // L-ONTIME
      ['C', 'M1', 1, '12000.00'], // L-DPD1, disbursed in May
      ['M1', 'M2', 1, cny(LATE)], // L-LATE, 16 → 36 days
      ['M3', 'C', 1, cny(1_200_000 - principalOf(1))], // L-CURED, 77 days, cured
      ['M4', 'C', 1, '12000.00'], // L-RS, 105 days, restructured
      ['M6', 'written-off', 1, '12000.00'], // L-WO, 167 days
      ['M7+', 'M7+', 1, '12000.00'], // L-400, 381 → 401 days
    ]);
    expect(rollRates.map((row: { from: string }) => row.from)).toEqual(['C', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+']);
    expect(rollRates[0].to.map((cell: { to: string }) => cell.to)).toEqual(['C', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+', 'paid-off', 'written-off']);
  });

  it('vintages: the share of each month’s disbursed principal ever 30+ days past due, by months on book', async () => {
    const { vintages } = (await get(`/reports/regulatory?asOf=${REPORT_DATE}`)).json().currencies[0];
    const shares = (...values: number[]) => values.map((v) => v.toFixed(6));
    expect(vintages).toEqual([
      // L-400: 30 days past due on 2025-06-14, its third month on book (k = 2).
      { disbursedIn: '2025-04', loans: 1, principal: '12000.00', everThirtyDaysPastDueShare: shares(0, 0, ...Array(13).fill(1)) },
      // L-WO: on 2026-01-14.
      { disbursedIn: '2025-11', loans: 1, principal: '12000.00', everThirtyDaysPastDueShare: shares(0, 0, 1, 1, 1, 1, 1, 1) },
      // L-RS on 2026-03-17, L-CURED on 2026-04-14, L-LATE on 2026-06-14; L-ONTIME never.
      { disbursedIn: '2026-01', loans: 4, principal: '48000.00', everThirtyDaysPastDueShare: shares(0, 0, 0.25, 0.5, 0.5, 0.75) },
      { disbursedIn: '2026-05', loans: 1, principal: '12000.00', everThirtyDaysPastDueShare: shares(0, 0) },
      { disbursedIn: '2026-06', loans: 1, principal: '12000.00', everThirtyDaysPastDueShare: shares(0) },
    ]);
  });

  it('collection conduct in the period by channel and party, violations by rule; the cap check is clean', async () => {
    const report = (await get(`/reports/regulatory?asOf=${REPORT_DATE}`)).json();
    expect(report.collectionConduct).toEqual({
      contacts: [
        { channel: 'phone', party: 'borrower', count: 2 },
        { channel: 'sms', party: 'borrower', count: 1 },
      ],
      violations: [{ rule: 'quiet-hours', count: 1 }],
      violationsByPerson: [{ rule: 'quiet-hours', party: 'borrower', person: 'borrower', count: 1 }],
    });
    expect(report.currencies[0].capCheck).toEqual({ loansAboveCap: 0, loans: [] });
  });

  it('each borrower’s monthly codes for the last month closed (May), judged at each month’s end', async () => {
    const history = async (borrowerId: string) => {
      const response = await get(`/borrowers/${borrowerId}/credit-history`);
      expect(response.statusCode).toBe(200);
      return response.json();
    };
    const line = async (borrowerId: string) => {
      const body = await history(borrowerId);
      expect(body).toMatchObject({ borrowerId, asOf: '2026-05' });
      expect(body.loans).toHaveLength(1);
      return body.loans[0];
    };
    const open = (n: number) => '/'.repeat(n);
    const before = (n: number) => 'B'.repeat(n);
    expect(await line('B-1')).toMatchObject({
      loanId: 'L-ONTIME',
      openedOn: '2026-01-15',
      principal: '12000.00',
      currency: 'CNY',
      balance: cny(1_200_000 - principalOfFirst(4)),
      highestDaysPastDue: 0,
      episodes: { dpd30: 0, dpd60: 0, dpd90: 0 },
      closedOn: null,
      writtenOffOn: null,
      pbocRepaymentString: `${open(19)}*NNNN`,
      metro2AccountStatus: '11',
      metro2PaymentHistoryProfile: `0000${before(20)}`,
    });
    // 16 days past due at May's end; the balance counts May's unpaid interest and 16 days of penalty on its principal.
    expect(await line('B-2')).toMatchObject({
      pbocRepaymentString: `${open(19)}*NNN1`,
      metro2AccountStatus: '11',
      highestDaysPastDue: 16,
      balance: cny(LATE + schedule[3]!.interest + penalty(principalOf(4), 16)),
    });
    // Missed from 2026-03-15: 16, 46 and 77 days at the ends of March, April and May.
    expect(await line('B-3')).toMatchObject({
      pbocRepaymentString: `${open(19)}*N123`,
      metro2AccountStatus: '78',
      metro2PaymentHistoryProfile: `1000${before(20)}`,
      highestDaysPastDue: 77,
      episodes: { dpd30: 1, dpd60: 1, dpd90: 0 },
    });
    // Never paid: 13, 44, 74, 105 days; the June restructuring is not visible in May.
    expect(await line('B-4')).toMatchObject({
      pbocRepaymentString: `${open(19)}*1234`,
      metro2AccountStatus: '80',
      metro2PaymentHistoryProfile: `2100${before(20)}`,
      highestDaysPastDue: 105,
      episodes: { dpd30: 1, dpd60: 1, dpd90: 1 },
    });
    // Disbursed 2025-11-15, first due 2025-12-15: 16, 47, 75, 106, 136, 167 days.
    expect(await line('B-5')).toMatchObject({
      pbocRepaymentString: `${open(17)}*123456`,
      metro2AccountStatus: '83',
      metro2PaymentHistoryProfile: `432100${before(18)}`,
      highestDaysPastDue: 167,
      writtenOffOn: null,
    });
    // First due 2025-05-15: 16, 46, 77, 108, 138, 169, 199 … 381 days.
    expect(await line('B-6')).toMatchObject({
      pbocRepaymentString: `${open(10)}*1234567777777`,
      metro2AccountStatus: '84',
      metro2PaymentHistoryProfile: `6666665432100${before(11)}`,
      highestDaysPastDue: 381,
    });
    expect(await line('B-7')).toMatchObject({ pbocRepaymentString: `${open(23)}*`, metro2PaymentHistoryProfile: before(24) });
    expect((await history('B-8')).loans).toEqual([]);
  });

  it('a written-off loan as of June is B, 97 and L once June is closed', async () => {
    await app.inject({ method: 'POST', url: '/close-of-business', payload: { businessDate: '2026-06-30' } });
    const body = (await get('/borrowers/B-5/credit-history?asOf=2026-06')).json();
    expect(body.loans[0]).toMatchObject({ pbocRepaymentString: `${'/'.repeat(16)}*123456B`, metro2AccountStatus: '97', writtenOffOn: '2026-06-10' });
    expect(body.loans[0].metro2PaymentHistoryProfile.slice(0, 1)).toBe('5');
  });

  it('the CSV forms carry the same figures, and every response names the SHA-256 of its bytes', async () => {
    for (const url of [`/reports/regulatory?asOf=${REPORT_DATE}&format=csv`, `/reports/regulatory?asOf=${REPORT_DATE}`, '/borrowers/B-3/credit-history.csv?asOf=2026-05']) {
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-content-sha256']).toBe(createHash('sha256').update(response.body).digest('hex'));
    }
    const csv = (await get(`/reports/regulatory?asOf=${REPORT_DATE}&format=csv`)).body;
    expect(csv.split('\r\n')[0]).toBe('section,currency,dimension,detail,measure,value');
    expect(csv).toContain(`portfolio,CNY,total,,principal,${cny(ON_BOOKS)}\r\n`);
    expect(csv).toContain('roll-rates,CNY,M6,written-off,loans,1\r\n');
    expect(csv).toContain('collection-violations,,quiet-hours,,violations,1\r\n');
    const history = (await get('/borrowers/B-3/credit-history.csv?asOf=2026-05')).body.split('\r\n');
    expect(history[0]).toBe(
      'borrowerId,borrowerName,identityDocumentType,identityDocumentNumber,asOf,loanId,openedOn,currency,principal,balance,highestDaysPastDue,episodesDpd30,episodesDpd60,episodesDpd90,closedOn,writtenOffOn,pbocRepaymentString,metro2AccountStatus,metro2PaymentHistoryProfile',
    );
    expect(history[1]).toMatch(/^B-3,,,,2026-05,L-CURED,2026-01-15,CNY,12000\.00,[\d.]+,77,1,1,0,,,\/{19}\*N123,78,1000B{20}$/);
  });

  it('refuses dates not yet closed (409), malformed ones (400) and borrowers without loans (404)', async () => {
    expect((await get('/reports/regulatory?asOf=2026-07-01')).json()).toMatchObject({ code: 'REPORT.NOT_CLOSED' });
    expect((await get('/reports/regulatory?asOf=2026-07-01')).statusCode).toBe(409);
    expect((await get('/borrowers/B-1/credit-history?asOf=2026-07')).statusCode).toBe(409);
    expect((await get('/reports/regulatory?asOf=2026-02-30')).statusCode).toBe(400);
    expect((await get('/reports/regulatory?asOf=2026-06-20&format=xml')).statusCode).toBe(400);
    expect((await get('/borrowers/B-1/credit-history?asOf=2026-13')).statusCode).toBe(400);
    expect((await get('/borrowers/B-nobody/credit-history?asOf=2026-05')).statusCode).toBe(404);
  });

  it('is the same bytes after more events, after every projection is rebuilt, and from the CLI', async () => {
    const urls = [`/reports/regulatory?asOf=${REPORT_DATE}`, `/reports/regulatory?asOf=${REPORT_DATE}&format=csv`, '/borrowers/B-3/credit-history?asOf=2026-05'];
    const snapshot = async () => Promise.all(urls.map(async (url) => (await get(url)).body));
    const before = await snapshot();
    const hash = createHash('sha256').update(before[0]!).digest('hex');

    // Later events: payments dated after the report date, a new loan, another close of business.
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });
    expect((await post('/loans/L-LATE/payments', paymentRequest('LATE-LATER', '3000.00', '2026-07-02'))).statusCode).toBe(201);
    expect((await post('/loans', { ...originationRequest('L-LATER', 'B-3'), originatedOn: '2026-07-01' })).statusCode).toBe(201);
    expect((await post('/close-of-business', { businessDate: '2026-07-03' })).statusCode).toBe(200);
    expect(await snapshot()).toEqual(before);
    expect((await get('/reports/regulatory?asOf=2026-07-03')).body).not.toEqual(before[0]);

    // Every projection rebuilt from the first event: a new read-model file.
    await app.close();
    rmSync(config.SQLITE_READ_MODELS_PATH, { force: true });
    await start();
    expect(await snapshot()).toEqual(before);
    expect((await get(urls[0]!)).headers['x-content-sha256']).toBe(hash);
    await app.close();

    const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
    const out = join(folder, 'report.json');
    const run = spawnSync(process.execPath, [resolve('dist/src/cli.js'), 'report', '--as-of', REPORT_DATE, '--out', out], {
      env: { ...inherited, SQLITE_EVENTS_PATH: config.SQLITE_EVENTS_PATH, SQLITE_READ_MODELS_PATH: config.SQLITE_READ_MODELS_PATH },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('regulatory report');
    expect(JSON.parse(run.stdout)).toMatchObject({ asOf: REPORT_DATE, format: 'json', sha256: hash });
    expect(readFileSync(out, 'utf8')).toBe(before[0]);
    await start();
  }, 60_000);
});
