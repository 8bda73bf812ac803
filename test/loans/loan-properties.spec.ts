import fc from 'fast-check';
import { addDays } from '../../src/kernel/dates/business-date.js';
import { formatAmount } from '../../src/kernel/money/amount.js';
import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import type { LoanEvent, PaymentReceivedData, PaymentReversedData } from '../../src/loans/domain/loan-events.js';
import { type LoanState, loanOutstanding } from '../../src/loans/domain/loan-state.js';
import { allocatedTotal } from '../../src/loans/domain/payment-allocation.js';
import { REPAYMENT_METHODS } from '../../src/loans/domain/repayment-method.js';
import { disburse, originate, pay } from '../fixtures/loans.js';

const fold = (events: readonly LoanEvent[]): LoanState => events.reduce(loanDecider.evolve, loanDecider.initialState());

/** A disbursed loan of random terms, then payments on increasing dates, some of them reversed later. */
const loanLife = fc
  .record({
    principal: fc.integer({ min: 100, max: 50_000_000 }),
    rateBasisPoints: fc.integer({ min: 0, max: 2400 }),
    termMonths: fc.integer({ min: 1, max: 48 }),
    method: fc.constantFrom(...REPAYMENT_METHODS),
    payments: fc.array(
      fc.record({ amount: fc.integer({ min: 1, max: 5_000_000 }), afterDays: fc.integer({ min: 0, max: 60 }), reverse: fc.boolean() }),
      { maxLength: 25 },
    ),
  })
  .map(({ principal, rateBasisPoints, termMonths, method, payments }) => {
    const commands: LoanCommand[] = [
      originate({
        principal: formatAmount(principal, 'CNY'),
        annualInterestRate: (rateBasisPoints / 10_000).toString(),
        termMonths,
        repaymentMethod: method,
      }),
      disburse(),
    ];
    let on = '2026-01-15';
    payments.forEach(({ amount, afterDays, reverse }, index) => {
      on = addDays(on, afterDays);
      commands.push(pay(`P${index}`, formatAmount(amount, 'CNY'), on));
      if (reverse) commands.push({ kind: 'reverse-payment', paymentId: `P${index}`, reason: 'returned', reversedOn: on });
    });
    return commands;
  });

/** Runs each command; those the loan refuses (a payment on a paid-off loan) are skipped, as a servicer would see them refused. */
function run(commands: readonly LoanCommand[]): { events: LoanEvent[]; states: LoanState[] } {
  const events: LoanEvent[] = [];
  const states = [loanDecider.initialState()];
  for (const command of commands) {
    let decided: readonly LoanEvent[];
    try {
      decided = loanDecider.decide(command, states.at(-1)!);
    } catch {
      continue;
    }
    events.push(...decided);
    states.push(decided.reduce(loanDecider.evolve, states.at(-1)!));
  }
  return { events, states };
}

describe('loan invariants (property-based)', () => {
  it('every allocation conserves money: instalments + prepaid + overpayment = amount', () => {
    fc.assert(
      fc.property(loanLife, (commands) => {
        for (const event of run(commands).events) {
          if (event.type !== 'PaymentReceived') continue;
          expect(allocatedTotal(event.data.allocation)).toBe(event.data.amount);
        }
      }),
    );
  });

  it('no component ever goes negative and nothing paid is dropped', () => {
    fc.assert(
      fc.property(loanLife, (commands) => {
        const { events, states } = run(commands);
        const final = states.at(-1)!;
        for (const instalment of final.instalments) {
          expect(instalment.principalPaid).toBeGreaterThanOrEqual(0);
          // Due as re-amortised: a prepayment may move principal between later instalments.
          expect(instalment.principalPaid).toBeLessThanOrEqual(instalment.principalDue - instalment.principalRescheduled);
          expect(instalment.interestPaid + instalment.interestCancelled).toBeLessThanOrEqual(instalment.interestDue);
        }
        const received = events.filter((e) => e.type === 'PaymentReceived').reduce((s, e) => s + (e.data as PaymentReceivedData).amount, 0);
        const reversed = events.filter((e) => e.type === 'PaymentReversed').reduce((s, e) => s + allocatedTotal((e.data as PaymentReversedData).allocation), 0);
        const paid = final.instalments.reduce((s, i) => s + i.principalPaid + i.interestPaid + i.penaltyPaid, 0);
        expect(paid + final.overpaymentHeld).toBe(received - reversed);
        expect(final.status === 'paid-off').toBe(loanOutstanding(final) === 0);
      }),
    );
  });

  it('a reversal restores the exact balances from before its payment, when nothing came between', () => {
    fc.assert(
      fc.property(loanLife, (commands) => {
        const { events } = run(commands);
        events.forEach((event, index) => {
          if (event.type !== 'PaymentReversed') return;
          const paymentIndex = events.findIndex((e) => e.type === 'PaymentReceived' && e.data.paymentId === event.data.paymentId);
          if (paymentIndex !== index - 1 && !(paymentIndex === index - 2 && events[index - 1]!.type === 'LoanPaidOff')) return;
          const before = fold(events.slice(0, paymentIndex));
          const after = fold(events.slice(0, index + 1 + (events[index + 1]?.type === 'LoanReopened' ? 1 : 0)));
          // Balances come back exactly; the movement log keeps both the payment and its reversal, and an instalment the
          // reversal made owe again remembers the day (it cannot count as missed before it).
          const balances = (state: LoanState) => state.instalments.map(({ principalMovements: _history, reopenedOn: _reopened, ...balance }) => balance);
          expect(balances(after)).toEqual(balances(before));
          expect(after.overpaymentHeld).toBe(before.overpaymentHeld);
          expect(after.status).toBe(before.status);
        });
      }),
    );
  });

  it('folding the stored (JSON) events reproduces the state exactly', () => {
    fc.assert(
      fc.property(loanLife, (commands) => {
        const { events, states } = run(commands);
        const stored = JSON.parse(JSON.stringify(events)) as LoanEvent[];
        expect(fold(stored)).toEqual(states.at(-1));
      }),
    );
  });
});
