import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../../src/kernel/event-store/event-store.port.js';
import { BEHAVIOURS } from '../../src/simulation/borrower-behaviour.js';
import type { CommandApi } from '../../src/simulation/command-api.js';
import { planPortfolio } from '../../src/simulation/portfolio-plan.js';
import { simulatePortfolio } from '../../src/simulation/simulate-portfolio.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

const OPTIONS = { loans: 30, months: 7, seed: 2026, startOn: '2026-01-01' };

/** The simulator over the real HTTP application, each run on stores of its own. */
describe('arrears simulate: a realistic portfolio through the command API and close of business', () => {
  const apps: NestFastifyApplication[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  const simulate = async (options: typeof OPTIONS) => {
    const app = await createTestApp(testConfig({ PROJECTIONS_ENABLED: 'false' }));
    apps.push(app);
    const api: CommandApi = {
      request: async (method, url, body) => {
        const response = await app.inject({ method, url, ...(body && { payload: body }) });
        return { status: response.statusCode, body: response.body === '' ? undefined : response.json() };
      },
    };
    const summary = await simulatePortfolio(api, options);
    const events = await app.get<EventStore>(EVENT_STORE).readAll(0, 10_000_000);
    return { summary, events, api };
  };
  /** An event as the simulation decided it; when it was recorded (and so its hash) differs run to run. */
  const decided = ({ stream, type, data, metadata }: StoredEvent) => {
    const { hash: _hash, previousHash: _previousHash, ...rest } = metadata;
    return { stream, type, data, metadata: rest };
  };

  it('gives the same event log for the same seed, and another for another seed', async () => {
    const first = await simulate(OPTIONS);
    const second = await simulate(OPTIONS);
    expect(first.events.length).toBeGreaterThan(1_000);
    expect(second.events.map(decided)).toEqual(first.events.map(decided));
    expect(second.summary).toEqual(first.summary);

    const other = await simulate({ ...OPTIONS, seed: 7 });
    expect(other.events.map(decided)).not.toEqual(first.events.map(decided));
  }, 120_000);

  it('holds on-time, late, cured, restructured and written-off loans, and contacts within and outside the rules', async () => {
    const { events, summary } = await simulate(OPTIONS);
    const plans = planPortfolio(OPTIONS);
    for (const behaviour of BEHAVIOURS) expect({ behaviour, loans: summary.byBehaviour[behaviour] }).not.toEqual({ behaviour, loans: 0 });

    const typesOf = (loanId: string) => events.filter((e) => e.stream === `loan-${loanId}`).map((e) => e.type);
    for (const plan of plans) {
      const types = typesOf(plan.loanId);
      const story = {
        loan: plan.loanId,
        behaviour: plan.behaviour,
        paid: types.includes('PaymentReceived'),
        missed: types.includes('InstalmentMissed'),
        restructured: types.includes('LoanRestructured'),
        writtenOff: types.includes('LoanWrittenOff'),
        recoveredAfterWriteOff: types.indexOf('PaymentReceived', types.indexOf('LoanWrittenOff')) > types.indexOf('LoanWrittenOff'),
      };
      const expected = {
        'on-time': { paid: true, missed: false, restructured: false, writtenOff: false },
        late: { paid: true, missed: true, restructured: false, writtenOff: false },
        cured: { paid: true, missed: true, restructured: false, writtenOff: false },
        restructured: { missed: true, restructured: true, writtenOff: false },
        'written-off': { missed: true, restructured: false, writtenOff: true, recoveredAfterWriteOff: true },
      }[plan.behaviour];
      expect(story).toMatchObject(expected);
    }
    // A cured loan went 30 days past due and came back; a late one never got that far.
    const thresholds = (loanId: string) => events.filter((e) => e.stream === `loan-${loanId}` && e.type === 'DelinquencyThresholdReached').length;
    expect(plans.filter((p) => p.behaviour === 'cured').every((p) => thresholds(p.loanId) > 0)).toBe(true);

    const contacts = events.filter((e) => e.type === 'CollectionContactRecorded').map((e) => e.data as { violations: unknown[] });
    expect(contacts.some((c) => c.violations.length === 0)).toBe(true);
    expect(contacts.some((c) => c.violations.length > 0)).toBe(true);
    expect(summary.contactsOutsideTheRules).toBe(contacts.filter((c) => c.violations.length > 0).length);
    expect(events.filter((e) => e.type === 'BusinessDayClosed')).toHaveLength(summary.days);
  }, 120_000);
});
