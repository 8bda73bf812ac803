import { addDays } from '../../src/kernel/dates/business-date.js';
import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import { instalmentsFromJson, instalmentsToJson } from '../../src/loans/domain/instalment-row.js';
import type { InstalmentState, LoanState } from '../../src/loans/domain/loan-state.js';
import { disburse, originate, pay } from '../fixtures/loans.js';

/** A loan that paid two instalments, then missed some and accrued penalty for 60 days. */
function overdueLoan(): LoanState {
  const commands: LoanCommand[] = [originate(), disburse(), pay('P1', '1100.16', '2026-02-15'), pay('P2', '500.00', '2026-03-15')];
  for (let day = 0; day < 60; day++) commands.push({ kind: 'close-business-day', businessDate: addDays('2026-03-16', day) });
  return commands.reduce((state, command) => loanDecider.decide(command, state).reduce(loanDecider.evolve, state), loanDecider.initialState());
}

describe('instalments as a read model keeps them (instalmentsToJson)', () => {
  const { instalments } = overdueLoan();

  it('come back from their text equal, every field of every instalment', () => {
    expect(instalments.some((i) => i.missedOn !== undefined && i.penaltyAccruedThrough !== undefined && i.principalPaid > 0)).toBe(true);
    expect(instalmentsFromJson(instalmentsToJson(instalments))).toEqual(instalments);
  });

  it('take under half the bytes of the instalments written as objects', () => {
    // What the overdue-status and COB work-index rows held before (versions 8 and 5).
    expect(instalmentsToJson(instalments).length).toBeLessThan(JSON.stringify(instalments).length / 2);
  });

  it('are the same text however the instalments were built: the rebuilt and the live row compare equal', () => {
    const again = instalmentsFromJson(instalmentsToJson(instalments)).map((i) => Object.fromEntries(Object.entries(i).reverse()) as unknown as InstalmentState);
    expect(instalmentsToJson(again)).toBe(instalmentsToJson(instalments));
  });
});
