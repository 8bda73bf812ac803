import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { CommandApi } from '../../src/simulation/command-api.js';
import { planPortfolio } from '../../src/simulation/portfolio-plan.js';
import { simulatePortfolio } from '../../src/simulation/simulate-portfolio.js';
import { originationRequest } from '../fixtures/loan-requests.js';
import { bearer } from '../support/api-keys.js';
import { getWhenProjected } from '../support/get-when-projected.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

const OPTIONS = { loans: 30, months: 7, seed: 99, startOn: '2026-01-01' };

interface Point { businessDate: string; loans: number; outstandingPrincipal: string; overdueRatio: string; overdueRatioDpdOver30: string; overdueRatioDpdOver90: string; nplRatio: string }

/** The dashboard's own queries over a simulated portfolio, checked against the regulator report and the projections. */
describe('dashboard query API', () => {
  let app: NestFastifyApplication;
  const get = async (url: string, key: Parameters<typeof bearer>[0] = 'viewer') => {
    const response = await app.inject({ method: 'GET', url, headers: bearer(key) });
    expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    return response.json();
  };

  beforeAll(async () => {
    app = await createTestApp(testConfig());
    const api: CommandApi = {
      request: async (method, url, body) => {
        const response = await app.inject({ method, url, ...(body && { payload: body }) });
        return { status: response.statusCode, body: response.body === '' ? undefined : response.json() };
      },
    };
    await simulatePortfolio(api, OPTIONS);
  }, 120_000);
  let closed = false;
  afterAll(async () => {
    if (!closed) await app.close();
  });

  it('has a point per close of business that agrees with the regulator report of that date', async () => {
    const { currencies } = (await get('/dashboard/portfolio-history')) as { currencies: { currency: string; points: Point[] }[] };
    expect(currencies.map((c) => c.currency)).toEqual(['CNY']);
    const points = currencies[0]!.points;
    expect(points.length).toBeGreaterThan(150);
    expect(points.some((p) => Number(p.nplRatio) > 0)).toBe(true);
    const sampled = [...points.filter((_, i) => i % 45 === 44), points.at(-1)!];
    for (const point of sampled) {
      const report = await get(`/reports/regulatory?asOf=${point.businessDate}`, 'auditor');
      const { portfolio } = report.currencies[0];
      expect({ date: point.businessDate, ...point }).toMatchObject({
        date: point.businessDate,
        loans: portfolio.loans,
        outstandingPrincipal: portfolio.principalOutstanding,
        nplRatio: portfolio.nplRatio,
        overdueRatioDpdOver30: portfolio.overdueRatioDpdOver30,
        overdueRatioDpdOver90: portfolio.overdueRatioDpdOver90,
      });
    }
    const summary = await getWhenProjected(app, '/overdue/summary');
    const buckets = summary.currencies[0].byBucket as { loans: number; outstandingPrincipal: string }[];
    expect(buckets.reduce((n, b) => n + b.loans, 0)).toBe(points.at(-1)!.loans);
  });

  it('counts outcomes by grade at origination over every disbursed loan', async () => {
    const grades = (await get('/dashboard/grades')) as { grade: string; disbursed: number; everThirtyDaysPastDue: number; everThirtyDaysPastDueRate: string }[];
    const plans = planPortfolio(OPTIONS);
    for (const grade of new Set(plans.map((p) => p.grade))) {
      expect(grades.find((g) => g.grade === grade)?.disbursed).toBe(plans.filter((p) => p.grade === grade).length);
    }
    for (const g of grades) expect(Number(g.everThirtyDaysPastDueRate)).toBeCloseTo(g.everThirtyDaysPastDue / g.disbursed, 6);
    // Every written-off loan was 30+ days past due first.
    const writtenOff = plans.filter((p) => p.behaviour === 'written-off').length;
    expect(grades.reduce((n, g) => n + g.everThirtyDaysPastDue, 0)).toBeGreaterThanOrEqual(writtenOff);
  });

  it("shows a loan's days past due at each close and its events, without the borrower's personal data", async () => {
    const writtenOff = planPortfolio(OPTIONS).find((p) => p.behaviour === 'written-off')!;
    const history = (await get(`/dashboard/loans/${writtenOff.loanId}/overdue-history`)) as { businessDate: string; status: string; daysPastDue: number }[];
    expect(history[0]!.businessDate >= writtenOff.disbursedOn).toBe(true);
    const active = history.filter((p) => p.status === 'active');
    expect(Math.max(...active.map((p) => p.daysPastDue))).toBeGreaterThanOrEqual(90);
    expect(history.at(-1)!.status).toBe('written-off');

    await app.inject({ method: 'POST', url: '/loans', payload: { ...originationRequest('L-PII', 'B-PII'), borrower: { name: 'Wang Fang', phone: '+8613700000000' } } });
    const timeline = (await get('/dashboard/loans/L-PII/timeline')) as { type: string; actor: string; data: Record<string, unknown> }[];
    expect(timeline).toEqual([expect.objectContaining({ type: 'LoanOriginated', actor: 'test-everything', data: expect.objectContaining({ loanId: 'L-PII' }) })]);
    expect(JSON.stringify(timeline)).not.toMatch(/Wang Fang|\+8613700000000/);
  });

  it('gives the roll rates of the last close of business', async () => {
    const { asOf, currencies } = await get('/dashboard/roll-rates');
    const report = await get(`/reports/regulatory?asOf=${asOf}`, 'auditor');
    expect(asOf).toBe('2026-07-31');
    expect(currencies[0].rollRates).toEqual(report.currencies[0].rollRates);
  });

  it('streams an event when projections advance', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const response = await fetch(`${await app.getUrl()}/dashboard/live`, { headers: bearer('viewer'), signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    /** The data of the next `projections` event: blocks end with a blank line, fields are `name: value` lines. */
    const nextProjectionsEvent = async (): Promise<{ checkpoints: Record<string, number> }> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end < 0) {
          buffer += (await reader.read()).value ?? '';
          continue;
        }
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: projections$/m.test(block)) return JSON.parse(/^data: (.*)$/m.exec(block)![1]!);
      }
    };
    const first = await nextProjectionsEvent();
    await app.inject({ method: 'POST', url: '/loans', payload: originationRequest('L-LIVE', 'B-LIVE') });
    const second = await nextProjectionsEvent();
    expect(second.checkpoints['loan-register']).toBeGreaterThan(first.checkpoints['loan-register']!);

    // Stopping the engine ends the stream rather than waiting on it.
    const ended = (async () => {
      while (!(await reader.read()).done);
    })();
    await app.close();
    await ended;
    closed = true;
  }, 30_000);
});
