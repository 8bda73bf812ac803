import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { BusinessRuleViolation, InvalidInputError, NotFoundError } from '../../kernel/errors/domain-error.js';
import { type MinorUnits, parseAmount } from '../../kernel/money/amount.js';
import type { LoanOriginatedData } from './loan-events.js';
import type { LoanState } from './loan-state.js';

export function originated(state: LoanState): LoanOriginatedData {
  if (!state.terms) throw new NotFoundError('LOAN.NOT_FOUND', 'No such loan');
  return state.terms;
}

/** The loan's terms and disbursement date, or the refusal a loan not yet disbursed gets. */
export function disbursed(state: LoanState): { terms: LoanOriginatedData; disbursedOn: BusinessDate } {
  const terms = originated(state);
  if (!state.disbursedOn) throw new BusinessRuleViolation('LOAN.NOT_DISBURSED', 'The loan has not been disbursed');
  return { terms, disbursedOn: state.disbursedOn };
}

/** A positive amount with no more decimals than the currency has. */
export function amountIn(text: string, currency: string, field: string): MinorUnits {
  const parsed = parseAmount(text, currency);
  const problem =
    parsed === 'not-a-decimal'
      ? 'must be a decimal string such as "1234.56"'
      : parsed === 'too-many-decimals'
        ? `has more decimals than ${currency} allows`
        : parsed === 'too-large'
          ? 'is too large'
          : parsed === 0
            ? 'must be greater than zero'
            : undefined;
  if (problem) throw new InvalidInputError('REQUEST.INVALID', `${field} ${problem}`, { field });
  return parsed as MinorUnits;
}

/** The last day penalty was accrued for on any instalment, or undefined when none was. */
export function lastAccruedThrough(state: LoanState): BusinessDate | undefined {
  let last: BusinessDate | undefined;
  for (const i of state.instalments) if (i.penaltyAccruedThrough && (!last || i.penaltyAccruedThrough > last)) last = i.penaltyAccruedThrough;
  return last;
}

/**
 * A decision that changes balances from `on` must not precede what is already recorded
 * after it (a payment received later, penalty accrued for later days): correcting the
 * past is done with compensating events, not by deciding as if it had not happened.
 */
export function assertNotBackdated(state: LoanState, on: BusinessDate, what: string, accruedDayIncluded: boolean): void {
  const { disbursedOn } = disbursed(state);
  if (on < disbursedOn) {
    throw new BusinessRuleViolation('LOAN.BEFORE_DISBURSEMENT', `${what} on ${on} precedes the disbursement on ${disbursedOn}`);
  }
  const lastPayment = [...state.payments.values()].reduce<BusinessDate | undefined>((last, p) => (!last || p.receivedOn > last ? p.receivedOn : last), undefined);
  if (lastPayment && on < lastPayment) {
    throw new BusinessRuleViolation('LOAN.BACKDATED', `${what} on ${on} precedes a payment received on ${lastPayment}`, { lastPaymentOn: lastPayment });
  }
  const accrued = lastAccruedThrough(state);
  if (accrued && (accruedDayIncluded ? on < accrued : on <= accrued)) {
    throw new BusinessRuleViolation('LOAN.BACKDATED', `${what} on ${on} comes after penalty was already accrued through ${accrued}`, {
      penaltyAccruedThrough: accrued,
    });
  }
}
