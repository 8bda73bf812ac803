import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { metro2AccountStatus, pbocRepaymentCode } from '../../src/loans/domain/standing/credit-bureau-codes.js';
import type { LoanAccount } from '../../src/loans/domain/standing/loan-standing.js';
import { createTestApp } from '../support/test-app.js';
import { originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { getWhenProjected } from '../support/get-when-projected.js';
import { testConfig } from '../support/test-config.js';

/**
 * One truth for the books: every view that says where a loan stands — the loan as of a
 * date, overdue status, the collection queue, credit history, the regulator report and the
 * dashboard's history — is asked about the same loans on the same date and must give one
 * answer. The loans cover each boundary of DPD, bucket, class and stage, and every way a
 * loan leaves or returns to current.
 */
const REPORT_DATE = '2026-07-31';

interface Case {
  readonly loanId: string;
  /** The days past due the setup is meant to produce on the report date. */
  readonly daysPastDue: number;
  readonly account: LoanAccount;
}

// Disbursed a month before the oldest unpaid due date that gives each DPD on 2026-07-31; 12,000.00 at 18% over 12 months.
const LATE: readonly [string, string, number][] = [
  ['L-current', '2026-07-10', 0],
  ['L-dpd1', '2026-06-30', 1],
  ['L-dpd30', '2026-06-01', 30],
  ['L-dpd31', '2026-05-30', 31],
  ['L-dpd90', '2026-04-02', 90],
  ['L-dpd91', '2026-04-01', 91],
  ['L-dpd270', '2025-10-03', 270],
  ['L-dpd271', '2025-10-02', 271],
  ['L-dpd361', '2025-07-04', 361],
];

describe('every view gives one answer about where a loan stands', () => {
  let app: NestFastifyApplication;
  const post = async (url: string, payload: unknown) => {
    const response = await app.inject({ method: 'POST', url, payload: payload as object });
    if (response.statusCode >= 300) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const get = (url: string) => getWhenProjected(app, url);
  const borrowerOf = (loanId: string) => `B-${loanId}`;
  const open = async (loanId: string, disbursedOn: string, terms: object = {}) => {
    const originatedOn = disbursedOn;
    await post('/loans', {
      ...originationRequest(loanId, borrowerOf(loanId)),
      originatedOn,
      creditAssessment: { score: 700, grade: 'B', source: 'scorecard', assessedOn: originatedOn },
      riskDisclosure: { version: 'rd-1', acceptedAt: `${originatedOn}T09:00:00+08:00` },
      ...terms,
    });
    await post(`/loans/${loanId}/disbursements`, { disbursedOn, reference: `wire-${loanId}` });
  };

  const cases: Case[] = [];

  beforeAll(async () => {
    app = await createTestApp(testConfig());
    for (const [loanId, disbursedOn, daysPastDue] of LATE) {
      await open(loanId, disbursedOn);
      cases.push({ loanId, daysPastDue, account: 'open' });
    }
    // Cured: three instalments late, then everything fallen due paid (penalty first) on 07-20.
    await open('L-cured', '2026-04-15');
    await post('/loans/L-cured/payments', paymentRequest('P-cured', '3500.00', '2026-07-20'));
    cases.push({ loanId: 'L-cured', daysPastDue: 0, account: 'open' });
    // Restructured while 106 days late, its first new instalment paid on time: current, under observation.
    await open('L-restructured', '2026-01-15');
    const restructured = await post('/loans/L-restructured/restructurings', {
      restructuringId: 'RS-1',
      effectiveOn: '2026-06-01',
      reason: 'hardship',
      termMonths: 12,
      capitalise: true,
    });
    const first = restructured.schedule[0] as { dueOn: string; payment: string };
    expect(first.dueOn).toBe('2026-07-01');
    await post('/loans/L-restructured/payments', paymentRequest('P-rs', first.payment, first.dueOn));
    cases.push({ loanId: 'L-restructured', daysPastDue: 0, account: 'open' });
    // Written off on 05-01; first due 2026-01-15 unpaid: the debt keeps ageing, 197 days on 07-31.
    await open('L-written-off', '2025-12-15');
    await post('/loans/L-written-off/write-offs', { writeOffId: 'WO-1', writtenOffOn: '2026-05-01', reason: 'uncollectable' });
    cases.push({ loanId: 'L-written-off', daysPastDue: 197, account: 'written-off' });
    // Paid off with the quote for its day.
    await open('L-paid-off', '2026-01-15');
    const quote = (await get('/loans/L-paid-off?payoffOn=2026-03-01')).payoff.amount as string;
    await post('/loans/L-paid-off/payments', paymentRequest('P-off', quote, '2026-03-01'));
    cases.push({ loanId: 'L-paid-off', daysPastDue: 0, account: 'paid-off' });
    // Interest-only, prepaid in full five days after disbursement: nothing more is owed.
    await open('L-prepaid-io', '2026-05-15', { repaymentMethod: 'interest-only' });
    await post('/loans/L-prepaid-io/payments', paymentRequest('P-io', '12180.00', '2026-05-20'));
    cases.push({ loanId: 'L-prepaid-io', daysPastDue: 0, account: 'paid-off' });

    await post('/close-of-business', { businessDate: REPORT_DATE });
  }, 60_000);
  afterAll(() => app?.close());

  it('the loan as of the date, overdue status and the dashboard history agree, loan by loan, with the DPD meant', async () => {
    for (const { loanId, daysPastDue, account } of cases) {
      const status = await get(`/loans/${loanId}/overdue-status`);
      const asOf = await get(`/loans/${loanId}?asOf=${REPORT_DATE}`);
      const history = (await get(`/dashboard/loans/${loanId}/overdue-history`)) as { businessDate: string; daysPastDue: number; bucket: string }[];
      const atReportDate = history.find((point) => point.businessDate === REPORT_DATE);
      expect({ loanId, status: status.daysPastDue, asOf: asOf.asOf.daysPastDue, dashboard: atReportDate?.daysPastDue, bucket: atReportDate?.bucket }).toEqual({
        loanId,
        status: daysPastDue,
        asOf: daysPastDue,
        dashboard: daysPastDue,
        bucket: status.bucket,
      });
      if (account === 'written-off') {
        expect(status).toMatchObject({ bucket: 'M7+', classification: 'loss', ifrs9Stage: 3, nextDue: null });
      }
      if (account === 'paid-off') expect(status).toMatchObject({ bucket: 'C', nextDue: null, principalOutstanding: '0.00' });
    }
    // Restructured 106 days past due (substandard): current again, but not upgraded while under observation.
    expect(await get('/loans/L-restructured/overdue-status')).toMatchObject({ daysPastDue: 0, classification: 'substandard', restructuringObservation: true });
    expect(await get('/loans/L-dpd90/overdue-status')).toMatchObject({ bucket: 'M3', classification: 'special-mention', ifrs9Stage: 2 });
    expect(await get('/loans/L-dpd91/overdue-status')).toMatchObject({ bucket: 'M4', classification: 'substandard', ifrs9Stage: 3 });
    expect(await get('/loans/L-dpd271/overdue-status')).toMatchObject({ classification: 'doubtful' });
    expect(await get('/loans/L-dpd361/overdue-status')).toMatchObject({ classification: 'loss' });
  });

  it('the collection queue lists exactly the open loans past due, with the same DPD', async () => {
    const queue = await get(`/collections/queue?at=${REPORT_DATE}T20:00:00%2B08:00&limit=100`);
    const listed = Object.fromEntries((queue.items as { loanId: string; daysPastDue: number }[]).map((i) => [i.loanId, i.daysPastDue]));
    const expected = Object.fromEntries(cases.filter((c) => c.account === 'open' && c.daysPastDue > 0).map((c) => [c.loanId, c.daysPastDue]));
    expect(listed).toEqual(expected);
  });

  it('credit history codes are the bureau codes of that same standing', async () => {
    for (const { loanId, daysPastDue, account } of cases) {
      const history = await get(`/borrowers/${borrowerOf(loanId)}/credit-history?asOf=2026-07`);
      const [line] = history.loans as { pbocRepaymentString: string; metro2AccountStatus: string }[];
      const standing = { account, daysPastDue };
      // Only L-current, first due in August, had nothing fall due in July.
      const fellDueInJuly = loanId !== 'L-current';
      expect({ loanId, pboc: line!.pbocRepaymentString.at(-1), metro2: line!.metro2AccountStatus }).toEqual({
        loanId,
        pboc: pbocRepaymentCode(standing, fellDueInJuly),
        metro2: metro2AccountStatus(standing),
      });
    }
  });

  it('the regulator report and the dashboard count the same loans in the same buckets, classes and stages, with the same ratios', async () => {
    const statuses = await Promise.all(cases.map((c) => get(`/loans/${c.loanId}/overdue-status`)));
    const onBooks = statuses.filter((s) => s.status === 'active');
    const tally = (key: 'bucket' | 'classification' | 'ifrs9Stage') =>
      onBooks.reduce<Record<string, number>>((counts, s) => ({ ...counts, [String(s[key])]: (counts[String(s[key])] ?? 0) + 1 }), {});
    const report = await get(`/reports/regulatory?asOf=${REPORT_DATE}`);
    const cny = report.currencies.find((c: { currency: string }) => c.currency === 'CNY');
    const counted = (rows: { loans: number }[], key: string) =>
      Object.fromEntries(rows.filter((r) => r.loans > 0).map((r) => [String((r as unknown as Record<string, unknown>)[key]), r.loans]));
    expect(counted(cny.portfolio.byBucket, 'bucket')).toEqual(tally('bucket'));
    expect(counted(cny.portfolio.byClass, 'class')).toEqual(tally('classification'));
    expect(counted(cny.portfolio.byStage, 'stage')).toEqual(tally('ifrs9Stage'));

    const { currencies } = await get('/dashboard/portfolio-history');
    const point = currencies.find((c: { currency: string }) => c.currency === 'CNY').points.find((p: { businessDate: string }) => p.businessDate === REPORT_DATE);
    expect({ loans: point.loans, npl: point.nplRatio, over30: point.overdueRatioDpdOver30, over90: point.overdueRatioDpdOver90 }).toEqual({
      loans: cny.portfolio.loans,
      npl: cny.portfolio.nplRatio,
      over30: cny.portfolio.overdueRatioDpdOver30,
      over90: cny.portfolio.overdueRatioDpdOver90,
    });
    expect(point.outstandingPrincipal).toBe(cny.portfolio.principalOutstanding);
  });
});
