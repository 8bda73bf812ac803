import { BusinessRuleViolation } from '../../kernel/errors/domain-error.js';
import { formatAmount } from '../../kernel/money/amount.js';
import type { WaivePenalty } from './loan-commands.js';
import type { LoanEvent } from './loan-events.js';
import { amountIn, assertNotBackdated, disbursed } from './loan-preconditions.js';
import { type LoanState, evolveLoan, penaltyOutstanding } from './loan-state.js';
import { closeThroughDayBefore } from './decide-close-of-business.js';

/**
 * Waives penalty, oldest instalment first: an amount, or all of it; never more than is
 * outstanding once penalty through the day before is posted. Dated no earlier than what is
 * already recorded (a payment, penalty accrued for later days): correct the past with new events.
 */
export function decidePenaltyWaiver(command: WaivePenalty, state: LoanState): LoanEvent[] {
  const { terms, disbursedOn } = disbursed(state);
  if (state.waivers.some((w) => w.waiverId === command.waiverId)) {
    throw new BusinessRuleViolation('WAIVER.DUPLICATE_ID', `Waiver ${command.waiverId} is already recorded on this loan`);
  }
  if (command.waivedOn < disbursedOn) {
    throw new BusinessRuleViolation('LOAN.BEFORE_DISBURSEMENT', `A waiver on ${command.waivedOn} precedes the disbursement on ${disbursedOn}`);
  }
  assertNotBackdated(state, command.waivedOn, 'A waiver', true);
  // Penalty through the day before is posted first, as daily closes would have: "all" waives it too.
  const closed = closeThroughDayBefore(state, command.waivedOn);
  const before = closed.reduce(evolveLoan, state);
  const outstanding = before.instalments.reduce((sum, i) => sum + penaltyOutstanding(i), 0);
  if (outstanding === 0) throw new BusinessRuleViolation('WAIVER.NO_PENALTY_OUTSTANDING', 'The loan has no penalty outstanding to waive');
  const amount = command.amount === 'all' ? outstanding : amountIn(command.amount, terms.currency, 'amount');
  if (amount > outstanding) {
    const money = (minor: number) => formatAmount(minor, terms.currency);
    throw new BusinessRuleViolation(
      'WAIVER.EXCEEDS_PENALTY',
      `A waiver of ${money(amount)} exceeds the ${money(outstanding)} ${terms.currency} of penalty outstanding`,
      { amount: money(amount), penaltyOutstanding: money(outstanding) },
    );
  }
  let remaining = amount;
  const instalments = before.instalments.flatMap((instalment) => {
    const share = Math.min(remaining, penaltyOutstanding(instalment));
    remaining -= share;
    return share > 0 ? [{ number: instalment.number, amount: share }] : [];
  });
  const { waiverId, waivedOn, reason, approvedBy } = command;
  return [...closed, { type: 'PenaltyWaived', data: { waiverId, waivedOn, amount, reason, approvedBy, instalments } }];
}
