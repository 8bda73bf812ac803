/**
 * Model-based test of the loan decider against the independent reference model
 * (./loan-model.ts), through ./model-harness.ts: random command sequences agree after every
 * step, and close of business run daily or every few days leaves the same balances.
 *
 * MODEL_RUNS (default 200), MODEL_SEED, MODEL_PATH choose the runs (`npm run check:model --
 * --runs N --seed S`); see model-harness.ts for MODEL_WITHOUT, MODEL_IGNORE, MODEL_TRACE.
 */
import fc from 'fast-check';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import { disburse as disburseFixture } from '../fixtures/loans.js';
import * as M from './loan-model.js';
import {
  type Command,
  Divergence,
  RUNS,
  SEED,
  WITHOUT,
  cobCommand,
  describeCommand,
  differences,
  engineStep,
  engineView,
  loanSpecArb,
  modelView,
  originateCommand,
  payCommand,
  planArb,
  prepaymentArb,
  runPlan,
  type Plan,
} from './model-harness.js';

// ───────────────────────────── the properties ─────────────────────────────

const params = <T>(numRuns: number): fc.Parameters<T> => ({
  numRuns,
  ...(SEED === undefined ? {} : { seed: SEED }),
  ...(process.env.MODEL_PATH ? { path: process.env.MODEL_PATH } : {}),
  endOnFailure: false,
});
/** Generous: ~35 ms a run on the development machine, plus shrinking when one fails. */
const TIMEOUT = 60_000 + RUNS * 300;

describe('loan decider against the reference model', () => {
  it(`random command sequences agree after every step (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        runPlan(plan);
      }),
      params<[Plan]>(RUNS),
    );
  }, TIMEOUT);

  it('the same payments with daily close of business and with closes every 1–9 days leave the same balances', () => {
    const scenario = fc.record({
      loan: loanSpecArb.map((l) => ({ ...l, termMonths: Math.min(l.termMonths, 12) })),
      payments: fc.array(
        fc.record({ afterDays: fc.integer({ min: 0, max: 45 }), amount: fc.integer({ min: 1, max: 400_000 }), prepayment: prepaymentArb }),
        { maxLength: 12 },
      ),
      gaps: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 80 }),
      tail: fc.integer({ min: 0, max: 120 }),
    });
    fc.assert(
      fc.property(scenario, ({ loan, payments, gaps, tail }) => {
        const disbursedOn = M.plusDays(loan.originatedOn, loan.disburseAfter);
        const byDay = new Map<string, Command[]>();
        let on = disbursedOn;
        payments.forEach((p, k) => {
          on = M.plusDays(on, p.afterDays);
          const list = byDay.get(on) ?? [];
          list.push(payCommand(`P${k + 1}`, p.amount, loan.currency, on, WITHOUT.has('prepayment-option') ? undefined : p.prepayment));
          byDay.set(on, list);
        });
        const end = M.plusDays(on, tail);
        const closeDays = new Set<string>([end]);
        let close = disbursedOn;
        for (let k = 0; close < end; k++) {
          close = M.plusDays(close, gaps[k % gaps.length]!);
          if (close < end) closeDays.add(close);
        }
        const run = (daily: boolean) => {
          let engine = loanDecider.initialState();
          let model = M.initialModel();
          const log: string[] = [];
          const apply = (command: Command) => {
            log.push(describeCommand(command));
            const outcome = engineStep(engine, command);
            if (outcome.refused) throw new Divergence(`engine refused ${describeCommand(command)}: ${outcome.refused.code}\n    ${log.join('\n    ')}`);
            engine = outcome.state;
            const result = M.modelDecide(model, command);
            if (!result.ok) throw new Divergence(`model refused ${describeCommand(command)}: ${result.reason}`);
            model = result.state;
          };
          apply(originateCommand(loan));
          apply(disburseFixture({ disbursedOn }));
          for (let day = disbursedOn; day <= end; day = M.plusDays(day, 1)) {
            for (const payment of byDay.get(day) ?? []) apply(payment);
            if (daily || closeDays.has(day)) apply(cobCommand(day));
          }
          return { engine: engineView(engine, end), model: modelView(model, end), log };
        };
        const daily = run(true);
        const sparse = run(false);
        const selfDiff = differences(daily.model, sparse.model);
        if (selfDiff.length > 0) throw new Error(`model: daily vs sparse COB differ\n    ${selfDiff.join('\n    ')}`);
        const diff = differences(daily.engine, sparse.engine).map((d) => d.replace('engine', 'daily').replace('model', 'sparse'));
        if (diff.length > 0) {
          throw new Divergence(
            `engine: daily vs sparse close of business differ at ${end}\n    ${diff.join('\n    ')}\n  sparse commands:\n    ${sparse.log.join('\n    ')}`,
          );
        }
      }),
      params(Math.max(20, Math.round(RUNS / 4))),
    );
  }, TIMEOUT);
});
