import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash } from 'node:crypto';
import { createTestApp } from '../support/test-app.js';
import { bearer } from '../support/api-keys.js';
import { originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { testConfig } from '../support/test-config.js';

/**
 * Loans built through the HTTP API with known scores and outcomes; close of business at
 * every month end. Every loan is 12,000.00 CNY at 18% over 12 months (1,100.16 due on the
 * 15th of each month after disbursement). Outcome dpd30 over a 3-month window.
 *
 *   January (originated 01-10, disbursed 01-15; window to 04-15)
 *     J-800 A good · J-750 A good · J-700G A good · J-700B A bad · J-650 B good
 *     J-600 B bad · J-550 C bad · J-500 C good
 *   February (originated 02-10, disbursed 02-15; window to 05-15)
 *     F-720 A good · F-580 C bad
 *   May (originated 05-10, disbursed 05-15; too young to judge: the recent PSI cohort)
 *     M-500 · M-520 · M-540 · M-800
 * A good loan pays its first two instalments on their due dates and nothing more (30 days
 * past due only after its window); a bad one never pays (30 days past due a month after its
 * first due date, inside the window).
 */
const AS_OF = '2026-06-30';
const SOURCE = 'internal-scorecard-v3';

interface Plan {
  readonly loanId: string;
  readonly score: number;
  readonly grade: string;
  readonly month: '01' | '02' | '05';
  readonly good: boolean;
}

const plans: Plan[] = [
  ...(
    [
      [800, 'A', true],
      [750, 'A', true],
      [700, 'A', true, 'G'],
      [700, 'A', false, 'B'],
      [650, 'B', true],
      [600, 'B', false],
      [550, 'C', false],
      [500, 'C', true],
    ] as const
  ).map(([score, grade, good, suffix]) => ({ loanId: `J-${score}${suffix ?? ''}`, score, grade, month: '01' as const, good })),
  { loanId: 'F-720', score: 720, grade: 'A', month: '02', good: true },
  { loanId: 'F-580', score: 580, grade: 'C', month: '02', good: false },
  ...[500, 520, 540, 800].map((score) => ({ loanId: `M-${score}`, score, grade: 'B', month: '05' as const, good: true })),
];

const monthEnds = ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30'];

describe('the assessment performance report over loans with known scores and outcomes', () => {
  let app: NestFastifyApplication;
  const get = (url: string, key: Parameters<typeof bearer>[0] = 'everything') => app.inject({ method: 'GET', url, headers: bearer(key) });
  const post = async (url: string, payload: object) => {
    const response = await app.inject({ method: 'POST', url, payload });
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  };

  beforeAll(async () => {
    app = await createTestApp(testConfig({ ASSESSMENT_MIN_LOANS_PER_COHORT: '4' }));
    const steps: { on: string; run: () => Promise<void> }[] = [];
    for (const plan of plans) {
      const originatedOn = `2026-${plan.month}-10`;
      const disbursedOn = `2026-${plan.month}-15`;
      const body = {
        ...originationRequest(plan.loanId, `B-${plan.loanId}`),
        originatedOn,
        creditAssessment: { score: plan.score, grade: plan.grade, source: SOURCE, assessedOn: originatedOn },
        riskDisclosure: { version: 'rd-2026-01', acceptedAt: `${originatedOn}T10:00:00+08:00` },
      };
      steps.push({ on: originatedOn, run: () => post('/loans', body) });
      steps.push({ on: disbursedOn, run: () => post(`/loans/${plan.loanId}/disbursements`, { disbursedOn, reference: `wire-${plan.loanId}` }) });
      if (plan.good && plan.month !== '05') {
        const month = Number(plan.month);
        for (const k of [1, 2]) {
          const on = `2026-${String(month + k).padStart(2, '0')}-15`;
          steps.push({ on, run: () => post(`/loans/${plan.loanId}/payments`, paymentRequest(`${plan.loanId}-P${k}`, '1100.16', on)) });
        }
      }
    }
    for (const businessDate of monthEnds) steps.push({ on: `${businessDate}~`, run: () => post('/close-of-business', { businessDate }) });
    steps.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
    for (const step of steps) await step.run();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const url = `/reports/assessment-performance?asOf=${AS_OF}&outcome=dpd30&window=3`;

  it('counts the loans whose window has passed, and bad rates by grade and by score band', async () => {
    const response = await get(url, 'viewer');
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-content-sha256']).toBe(createHash('sha256').update(response.body).digest('hex'));
    const report = response.json();
    expect(report).toMatchObject({
      report: 'assessment-performance',
      asOf: AS_OF,
      outcome: 'dpd30',
      definition: { windowMonths: 3, minimumLoansPerCohort: 4 },
      basis: { closeOfBusiness: AS_OF },
    });
    expect(report.definition.scoreDirection).toMatch(/higher score means a better borrower/);
    const { overall } = report;
    expect(overall).toMatchObject({ source: '*', loans: 10, bad: 4, good: 6, badRate: '0.400000' });
    expect(overall.byGrade).toEqual([
      { grade: 'A', loans: 5, bad: 1, badRate: '0.200000' },
      { grade: 'B', loans: 2, bad: 1, badRate: '0.500000' },
      { grade: 'C', loans: 3, bad: 2, badRate: '0.666667' },
    ]);
    // Ten judged loans: one a band, but the two 700s share band 6 and leave band 7 empty.
    expect(overall.scoreBands.map((b: any) => [b.scoreUpTo, b.loans, b.bad, b.badRate])).toEqual([
      [500, 1, 0, '0.000000'],
      [550, 1, 1, '1.000000'],
      [580, 1, 1, '1.000000'],
      [600, 1, 1, '1.000000'],
      [650, 1, 0, '0.000000'],
      [700, 2, 1, '0.500000'],
      [700, 0, 0, null],
      [720, 1, 0, '0.000000'],
      [750, 1, 0, '0.000000'],
      [800, 1, 0, '0.000000'],
    ]);
    expect(report.sources).toEqual([{ ...overall, source: SOURCE }]);
  });

  it('AUC, Gini and KS', async () => {
    const { overall } = (await get(url)).json();
    // Goods 800 750 720 700 650 500, bads 700 600 580 550: 24 pairs. Goods above bads:
    // 4 + 4 + 4 + (3 + ½ for the tie at 700) + 3 + 0 = 18½; AUC = 18.5/24, Gini = 13/24.
    // Cumulative shares (bad vs good) are furthest apart after 600: 3/4 vs 1/6, KS = 7/12.
    expect(overall.discrimination).toEqual({ auc: '0.770833', gini: '0.541667', ks: '0.583333', ksAtScore: 600, reason: null });
    expect(overall.vintages).toEqual([
      // January: goods 800 750 700 650 500, bads 700 600 550: (3 + 3 + 2½ + 2 + 0)/15.
      { originatedIn: '2026-01', loans: 8, bad: 3, badRate: '0.375000', auc: '0.700000', ks: '0.466667', reason: null },
      { originatedIn: '2026-02', loans: 2, bad: 1, badRate: '0.500000', auc: null, ks: null, reason: 'fewer than 4 loans (2)' },
    ]);
  });

  it('PSI of the last three months against the baseline cohort, with its reading', async () => {
    const { stability } = (await get(url)).json().overall;
    expect(stability.baseline).toEqual({ from: '2026-01-01', to: '2026-03-30', loans: 10 });
    expect(stability.recent).toEqual({ from: '2026-03-31', to: AS_OF, loans: 4 });
    // Baseline bands (its ten scores): 0.1 each, 0.2 in the band up to 700, none in the next.
    // Recent: 500 → band 1, 520 and 540 → band 2, 800 → band 10; an empty band counts 0.0001.
    expect(stability.bands.map((b: any) => [b.baselineLoans, b.recentLoans])).toEqual([
      [1, 1],
      [1, 2],
      [1, 0],
      [1, 0],
      [1, 0],
      [2, 0],
      [0, 0],
      [1, 0],
      [1, 0],
      [1, 1],
    ]);
    const term = (a: number, e: number) => (a - e) * Math.log(a / e);
    const byHand = term(0.25, 0.1) + term(0.5, 0.1) + term(0.25, 0.1) + 5 * term(0.0001, 0.1) + term(0.0001, 0.2);
    expect(stability.psi).toBe(byHand.toFixed(6));
    expect(stability.reading).toBe('shifted');
    expect(stability.reason).toBeNull();
  });

  it('says why a figure is undefined: no bad loans within the window, no loans old enough', async () => {
    const dpd90 = (await get(`/reports/assessment-performance?asOf=${AS_OF}&outcome=dpd90&window=3`)).json();
    expect(dpd90.overall).toMatchObject({ loans: 10, bad: 0 });
    expect(dpd90.overall.discrimination).toMatchObject({ auc: null, gini: null, ks: null, reason: 'no bad loans' });
    const twelve = (await get(`/reports/assessment-performance?asOf=${AS_OF}`)).json();
    expect(twelve).toMatchObject({ outcome: 'dpd30', definition: { windowMonths: 12 } });
    expect(twelve.overall).toMatchObject({ loans: 0, badRate: null, scoreBands: [], discrimination: { auc: null, reason: 'no loans' } });
  });

  it('refuses what it cannot answer: a date not closed, a bad outcome, a role without reports', async () => {
    expect((await get('/reports/assessment-performance?asOf=2026-07-15')).json()).toMatchObject({ code: 'REPORT.NOT_CLOSED' });
    expect((await get(`/reports/assessment-performance?asOf=${AS_OF}&outcome=dpd60`)).statusCode).toBe(400);
    expect((await get(`/reports/assessment-performance?asOf=${AS_OF}&window=0`)).statusCode).toBe(400);
    expect((await get(url, 'servicer')).statusCode).toBe(403);
    expect((await get(url, 'auditor')).statusCode).toBe(200);
  });

  it('the same bytes before and after later payments (one backdated into the window) and a later close', async () => {
    const before = await get(url);
    const csvBefore = await get(`${url}&format=csv`);
    expect(csvBefore.headers['content-type']).toMatch(/^text\/csv/);
    expect(csvBefore.body).toContain('discrimination,*,,,auc,0.770833');
    await post('/loans/J-550/payments', paymentRequest('J-550-LATE', '3300.48', '2026-06-20'));
    await post('/loans/J-800/payments', paymentRequest('J-800-P3', '1100.16', '2026-07-05'));
    await post('/close-of-business', { businessDate: '2026-07-31' });
    const after = await get(url);
    const csvAfter = await get(`${url}&format=csv`);
    expect(after.body).toBe(before.body);
    expect(after.headers['x-content-sha256']).toBe(before.headers['x-content-sha256']);
    expect(csvAfter.body).toBe(csvBefore.body);
  });
});
