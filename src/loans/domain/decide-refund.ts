import { BusinessRuleViolation } from '../../kernel/errors/domain-error.js';
import { formatAmount } from '../../kernel/money/amount.js';
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
