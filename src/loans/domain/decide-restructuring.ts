import { addMonths } from '../../kernel/dates/business-date.js';
import { BusinessRuleViolation, InvalidInputError } from '../../kernel/errors/domain-error.js';
import { rateExceeds } from '../../kernel/money/rate.js';
import type { RestructureLoan } from './loan-commands.js';
import type { InstalmentRestructured, LoanEvent, LoanRestructuredData } from './loan-events.js';
import { assertNotBackdated, disbursed } from './loan-preconditions.js';
import { type LoanState, evolveLoan, interestOutstanding, penaltyOutstanding, principalOutstanding } from './loan-state.js';
import { closeThroughDayBefore } from './decide-close-of-business.js';
import { generateSchedule } from './repayment-schedule.js';
import { interestRateInForce, penaltyRateAfterRestructuring, penaltyRateInForce } from './rates-in-force.js';
import { loanStandingOn } from './days-past-due.js';

/**
 * Restructuring effective on a date: what close of business would have recorded through the
 * day before is recorded first (misses, penalty on the old schedule); then everything
 * unpaid leaves the old instalments. Unpaid principal (plus overdue
 * interest and penalty, when capitalised) is repaid by a new schedule at the new term, rate
 * and payment holiday; interest the old schedule had not yet charged is forgone; overdue
 * interest and penalty not capitalised stay due with the first new instalment. Nothing is
 * then past due: days past due start again from zero.
 */
export function decideRestructuring(command: RestructureLoan, state: LoanState): LoanEvent[] {
  const { terms } = disbursed(state);
  if (state.status === 'paid-off' || state.status === 'written-off') {
    throw new BusinessRuleViolation('LOAN.CLOSED', `The loan is ${state.status}; it cannot be restructured`);
  }
  if (state.restructuringIds.includes(command.restructuringId)) {
    throw new BusinessRuleViolation('RESTRUCTURING.DUPLICATE_ID', `Restructuring ${command.restructuringId} is already recorded on this loan`);
  }
  if (command.termMonths === undefined && command.annualInterestRate === undefined && command.paymentHolidayMonths === undefined) {
    throw new InvalidInputError('REQUEST.INVALID', 'give at least one new term: termMonths, annualInterestRate or paymentHolidayMonths', {
      field: 'termMonths',
    });
  }
  const annualInterestRate = command.annualInterestRate ?? interestRateInForce(state);
  // A new decision answers to the policy in force now (after a move to a lower cap, a rate the old one allowed is refused).
  const policy = command.policy ?? terms.policy;
  if (rateExceeds(annualInterestRate, policy.costCapAnnualRate)) {
    throw new BusinessRuleViolation(
      'RATE_ABOVE_CAP',
      `annualInterestRate ${annualInterestRate} exceeds the ${policy.name} policy's cap of ${policy.costCapAnnualRate}`,
      { field: 'annualInterestRate', rate: annualInterestRate, cap: policy.costCapAnnualRate },
    );
  }
  const { effectiveOn } = command;
  assertNotBackdated(state, effectiveOn, 'A restructuring', false);

  // The loan as daily closes would have left it the day before (misses, penalty through that day).
  const accrued = closeThroughDayBefore(state, effectiveOn);
  const before = accrued.reduce(evolveLoan, state);
  if (before.writtenOff) {
    throw new BusinessRuleViolation('LOAN.CLOSED', `Under its ${terms.policy.name} policy the loan is written off on ${before.writtenOff.writtenOffOn}, before the restructuring on ${effectiveOn}`);
  }

  const movedFrom: InstalmentRestructured[] = before.instalments
    .map((i) => ({ number: i.number, principal: principalOutstanding(i), interest: interestOutstanding(i), penalty: penaltyOutstanding(i) }))
    .filter((m) => m.principal + m.interest + m.penalty > 0);
  const isDue = (number: number) => before.instalments.find((i) => i.number === number)!.dueOn <= effectiveOn;
  const total = (pick: (m: InstalmentRestructured) => number, where: (m: InstalmentRestructured) => boolean = () => true) =>
    movedFrom.filter(where).reduce((sum, m) => sum + pick(m), 0);
  const unpaidPrincipal = total((m) => m.principal);
  if (unpaidPrincipal === 0) {
    throw new BusinessRuleViolation('RESTRUCTURING.NO_PRINCIPAL_OUTSTANDING', 'The loan has no unpaid principal to restructure');
  }
  const overdueInterest = total((m) => m.interest, (m) => isDue(m.number));
  const overduePenalty = total((m) => m.penalty);
  const capitalised = command.capitalise;
  const principal = unpaidPrincipal + (capitalised ? overdueInterest + overduePenalty : 0);

  const instalmentsLeft = before.instalments.filter((i) => i.dueOn > effectiveOn && principalOutstanding(i) > 0).length;
  const termMonths = command.termMonths ?? Math.max(1, instalmentsLeft);
  const paymentHolidayMonths = command.paymentHolidayMonths ?? 0;
  const numberedAfter = before.instalments.length;
  const schedule = generateSchedule({
    principal,
    annualInterestRate,
    termMonths,
    repaymentMethod: terms.repaymentMethod,
    // The new schedule runs from the end of the holiday: nothing falls due and no interest accrues before it.
    disbursedOn: addMonths(effectiveOn, paymentHolidayMonths),
    rounding: terms.policy.rounding,
  }).map((line) => ({ ...line, number: line.number + numberedAfter }));

  const restructured: LoanRestructuredData = {
    restructuringId: command.restructuringId,
    effectiveOn,
    reason: command.reason,
    termMonths,
    annualInterestRate,
    penaltyAnnualRate: penaltyRateAfterRestructuring(terms, annualInterestRate, penaltyRateInForce(state)),
    classBefore: loanStandingOn(before, effectiveOn).classification,
    paymentHolidayMonths,
    capitalised,
    movedFrom,
    overdueInterest,
    overduePenalty,
    interestForgone: total((m) => m.interest, (m) => !isDue(m.number)),
    principal,
    keptDue: capitalised ? { interest: 0, penalty: 0 } : { interest: overdueInterest, penalty: overduePenalty },
    schedule,
  };
  return [...accrued, { type: 'LoanRestructured', data: restructured }];
}
