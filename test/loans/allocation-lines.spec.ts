import { addMonths } from '../../src/kernel/dates/business-date.js';
import type { LoanEvent } from '../../src/loans/domain/loan-events.js';
import { type InstalmentState, evolveInstalments } from '../../src/loans/domain/loan-state.js';
import type { InstalmentAllocation } from '../../src/loans/domain/payment-allocation.js';

/*
 * An event's per-instalment lines are looked up by instalment number: a short list is
 * scanned, a long one indexed (loan-state.ts, byNumber). Both ways must apply the same
 * lines to the same instalments, the first line of a number where an event repeats one.
 * A day's penalty accrual (applyPenalty) reads its lines by the same rule.
 */

const INSTALMENTS = 12;

function disbursed(): readonly InstalmentState[] {
  const schedule = Array.from({ length: INSTALMENTS }, (_, index) => ({
    number: index + 1,
    dueOn: addMonths('2026-01-15', index),
    principal: 10_000,
    interest: 1_000,
  }));
  const event: LoanEvent = { type: 'LoanDisbursed', data: { disbursedOn: '2025-12-15', reference: 'D1', amount: 120_000, schedule } };
  return evolveInstalments([], event);
}

function paid(instalments: readonly InstalmentState[], lines: readonly InstalmentAllocation[]): readonly InstalmentState[] {
  const amount = lines.reduce((sum, line) => sum + line.principal + line.interest + line.penalty, 0);
  const event: LoanEvent = {
    type: 'PaymentReceived',
    data: { paymentId: 'P1', amount, receivedOn: '2026-01-15', channel: 'bank-transfer', reference: 'R1', allocation: { instalments: lines, prepaid: [], overpayment: 0 } },
  };
  return evolveInstalments(instalments, event);
}

const line = (number: number, principal: number): InstalmentAllocation => ({ number, principal, interest: 100, penalty: 0 });
const principalPaid = (instalments: readonly InstalmentState[]) => instalments.map((i) => i.principalPaid);

describe.each([
  ['a few lines (scanned)', [1, 2, 3]],
  ['more lines than are scanned (indexed)', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
])('a payment allocated in %s', (_, numbers) => {
  it('moves each named instalment by its own line and leaves the others as they were', () => {
    const before = disbursed();
    const after = paid(before, numbers.map((number) => line(number, number * 10)));
    expect(principalPaid(after)).toEqual(before.map((i) => (numbers.includes(i.number) ? i.number * 10 : 0)));
    expect(after.map((i) => i.interestPaid)).toEqual(before.map((i) => (numbers.includes(i.number) ? 100 : 0)));
    for (const instalment of after.filter((i) => !numbers.includes(i.number))) expect(instalment).toBe(before[instalment.number - 1]);
  });

  it('takes the first line of a number an event names twice', () => {
    const lines = [...numbers.map((number) => line(number, number * 10)), line(numbers[0]!, 9_999)];
    expect(principalPaid(paid(disbursed(), lines))[numbers[0]! - 1]).toBe(numbers[0]! * 10);
  });
});

describe('a penalty accrual', () => {
  const accrued = (lines: readonly { number: number; base: number }[]): LoanEvent => ({
    type: 'PenaltyAccrued',
    data: {
      from: '2026-03-20',
      to: '2026-03-20',
      annualRate: '0.24',
      amount: lines.length * 7,
      instalments: lines.map(({ number, base }) => ({ number, amount: 7, segments: [{ from: '2026-03-20', to: '2026-03-20', days: 1, base }] })),
    },
  });

  it("adds each line's penalty and numerator to its own instalment and leaves the others as they were", () => {
    const before = disbursed();
    // Instalment 99 is none of the loan's: its line changes nothing.
    const once = evolveInstalments(before, accrued([{ number: 2, base: 10_000 }, { number: 99, base: 1 }, { number: 4, base: 20_000 }]));
    expect(once).not.toBe(before);
    const twice = evolveInstalments(once, accrued([{ number: 4, base: 5_000 }]));
    expect(twice.map((i) => i.penaltyDue)).toEqual(before.map((i) => (i.number === 2 ? 7 : i.number === 4 ? 14 : 0)));
    // base × days × rate × 10^10, summed: 20,000 × 0.24 and then 5,000 × 0.24.
    expect(twice[3]!.penaltyNumerator).toBe(String((20_000n + 5_000n) * 2_400_000_000n));
    expect(twice[1]!.penaltyNumerator).toBe(String(10_000n * 2_400_000_000n));
    expect(twice[3]!.penaltyAccruedThrough).toBe('2026-03-20');
    for (const instalment of twice.filter((i) => i.number !== 2 && i.number !== 4)) expect(instalment).toBe(before[instalment.number - 1]);
    expect(before.every((i) => i.penaltyDue === 0)).toBe(true);
  });

  it('takes the first line of a number an event names twice', () => {
    const after = evolveInstalments(disbursed(), accrued([{ number: 3, base: 10_000 }, { number: 3, base: 90_000 }]));
    expect(after[2]!.penaltyDue).toBe(7);
    expect(after[2]!.penaltyNumerator).toBe(String(10_000n * 2_400_000_000n));
  });
});
