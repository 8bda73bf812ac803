import fc from 'fast-check';
import { addDays } from '../../src/kernel/dates/business-date.js';
import { formatAmount } from '../../src/kernel/money/amount.js';
import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import type { LoanEvent } from '../../src/loans/domain/loan-events.js';
import type { LoanState } from '../../src/loans/domain/loan-state.js';
import { REPAYMENT_METHODS } from '../../src/loans/domain/repayment-method.js';
import { disburse, originate, pay } from '../fixtures/loans.js';

const snapshotting = loanDecider.snapshotting!;
/** What the store keeps and gives back: the snapshot as JSON text. */
const throughStore = (state: LoanState): LoanState => snapshotting.fromSnapshot(JSON.parse(JSON.stringify(snapshotting.toSnapshot(state))));

/** A loan's life: payments (some reversed) and closes of business on increasing dates, so instalments are missed and penalty accrues. */
const loanLife = fc
  .record({
    termMonths: fc.integer({ min: 1, max: 24 }),
    method: fc.constantFrom(...REPAYMENT_METHODS),
    steps: fc.array(
      fc.record({ kind: fc.constantFrom('pay', 'close', 'close', 'reverse'), afterDays: fc.integer({ min: 0, max: 45 }), amount: fc.integer({ min: 1, max: 400_000 }) }),
      { maxLength: 30 },
    ),
  })
  .map(({ termMonths, method, steps }) => {
    const commands: LoanCommand[] = [originate({ termMonths, repaymentMethod: method }), disburse()];
    let on = '2026-01-15';
    steps.forEach(({ kind, afterDays, amount }, index) => {
      on = addDays(on, afterDays);
      if (kind === 'pay') commands.push(pay(`P${index}`, formatAmount(amount, 'CNY'), on));
      if (kind === 'close') commands.push({ kind: 'close-business-day', businessDate: on });
      if (kind === 'reverse') commands.push({ kind: 'reverse-payment', paymentId: `P${index - 1}`, reason: 'returned', reversedOn: on });
    });
    return commands;
  });

function decideOrRefuse(command: LoanCommand, state: LoanState): readonly LoanEvent[] | string {
  try {
    return loanDecider.decide(command, state);
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('loan snapshots (property-based)', () => {
  it('a state kept as a snapshot comes back equal, and decides and evolves exactly as the original', () => {
    let penaltiesSeen = 0;
    fc.assert(
      fc.property(loanLife, (commands) => {
        let state = loanDecider.initialState();
        let restored = throughStore(state);
        for (const command of commands) {
          const decided = decideOrRefuse(command, state);
          expect(decideOrRefuse(command, restored)).toEqual(decided);
          if (typeof decided === 'string') continue;
          state = decided.reduce(loanDecider.evolve, state);
          restored = throughStore(decided.reduce(loanDecider.evolve, restored));
          expect(restored).toEqual(state);
        }
        if (state.instalments.some((i) => i.penaltyDue > 0)) penaltiesSeen++;
      }),
      { numRuns: 150 },
    );
    // The lives generated must reach missed instalments and penalty, or this shows little.
    expect(penaltiesSeen).toBeGreaterThan(20);
  });

  it('is smaller than the events it stands for once a loan has been overdue for a while', () => {
    const commands: LoanCommand[] = [originate({ termMonths: 24 }), disburse()];
    for (let day = 0; day < 60; day++) commands.push({ kind: 'close-business-day', businessDate: addDays('2026-02-19', day) });
    let state = loanDecider.initialState();
    const events: LoanEvent[] = [];
    for (const command of commands) {
      const decided = loanDecider.decide(command, state);
      events.push(...decided);
      state = decided.reduce(loanDecider.evolve, state);
    }
    expect(state.instalments.filter((i) => i.missedOn !== undefined).length).toBeGreaterThan(0);
    expect(JSON.stringify(snapshotting.toSnapshot(state)).length).toBeLessThan(JSON.stringify(events.map((e) => e.data)).length / 3);
  });
});
