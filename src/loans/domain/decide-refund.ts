import { BusinessRuleViolation } from '../../kernel/errors/domain-error.js';
import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { type MinorUnits, formatAmount } from '../../kernel/money/amount.js';
import type { RefundOverpayment } from './loan-commands.js';
import type { LoanEvent } from './loan-events.js';
import { amountIn, disbursed } from './loan-preconditions.js';
import type { LoanState } from './loan-state.js';

/**
 * Pays back overpayment the loan holds (paid beyond the payoff amount, or after payoff).
 * Never more than is held: the rest of what the borrower paid is owed to the lender.
 */
export function decideRefund(command: RefundOverpayment, state: LoanState): LoanEvent[] {
  const { terms, disbursedOn } = disbursed(state);
  if (state.refunds.some((r) => r.refundId === command.refundId)) {
    throw new BusinessRuleViolation('REFUND.DUPLICATE_ID', `Refund ${command.refundId} is already recorded on this loan`);
  }
  if (command.refundedOn < disbursedOn) {
    throw new BusinessRuleViolation('LOAN.BEFORE_DISBURSEMENT', `A refund on ${command.refundedOn} precedes the disbursement on ${disbursedOn}`);
  }
  const amount = amountIn(command.amount, terms.currency, 'amount');
  const lastRefundOn = state.refunds.at(-1)?.refundedOn;
  if (lastRefundOn !== undefined && command.refundedOn < lastRefundOn) {
    throw new BusinessRuleViolation('LOAN.BACKDATED', `A refund on ${command.refundedOn} precedes a refund on ${lastRefundOn}`, { lastRefundOn });
  }
  // Only what was held by the refund's date can be paid back on it: the loan as of any date never holds less than nothing.
  const heldBy = overpaymentHeldOn(state, command.refundedOn);
  if (heldBy < state.overpaymentHeld && amount > heldBy) {
    const money = (minor: number) => formatAmount(minor, terms.currency);
    throw new BusinessRuleViolation(
      'REFUND.BEFORE_OVERPAYMENT',
      `On ${command.refundedOn} the loan held ${money(heldBy)} ${terms.currency} of overpayment; the rest arrived later`,
      { overpaymentHeldThen: money(heldBy) },
    );
  }
  if (amount > state.overpaymentHeld) {
    const money = (minor: number) => formatAmount(minor, terms.currency);
    throw new BusinessRuleViolation(
      'REFUND.EXCEEDS_OVERPAYMENT',
      `A refund of ${money(amount)} exceeds the ${money(state.overpaymentHeld)} ${terms.currency} of overpayment held`,
      { amount: money(amount), overpaymentHeld: money(state.overpaymentHeld) },
    );
  }
  const { refundId, refundedOn, reference } = command;
  return [{ type: 'OverpaymentRefunded', data: { refundId, amount, refundedOn, reference } }];
}

/** Overpayment held as of a date: what payments received by then left over, less refunds (reversals of them undo their share). */
function overpaymentHeldOn(state: LoanState, on: BusinessDate): MinorUnits {
  const received = [...state.payments.values()].filter((p) => !p.reversed && p.receivedOn <= on).reduce((sum, p) => sum + p.allocation.overpayment, 0);
  return received - state.refunds.reduce((sum, r) => sum + r.amount, 0);
}
