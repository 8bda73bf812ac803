import { Temporal } from 'temporal-polyfill';
import type { Decider } from '../../kernel/decider.js';
import { BusinessRuleViolation, InvalidInputError } from '../../kernel/errors/domain-error.js';
import { businessDateOf } from './loan-command-dates.js';
import { rateExceeds } from '../../kernel/money/rate.js';
import { defaultPenaltyRate, interestRateInForce } from './rates-in-force.js';
import { allocatePayment, allocateRecovery } from './allocate-payment.js';
import { scheduleInForce } from './current-period-interest.js';
import type { DisburseLoan, LoanCommand, OriginateLoan, ReceivePayment, ReversePayment } from './loan-commands.js';
import type { LoanEvent } from './loan-events.js';
import {
  type LoanState,
  evolveLoan,
  foldLoan,
  initialLoanState,
  instalmentsInForce,
  loanOutstanding,
} from './loan-state.js';
import { loanSnapshotting } from './loan-snapshot.js';
import { amountIn, disbursed, originated } from './loan-preconditions.js';
import { decideRestructuring } from './decide-restructuring.js';
import { decidePenaltyWaiver } from './decide-penalty-waiver.js';
import { decideWriteOff } from './decide-write-off.js';
import { decideOriginationCancellation } from './decide-origination-cancellation.js';
import { decideWaiverReversal } from './decide-waiver-reversal.js';
import { decideWriteOffReversal } from './decide-write-off-reversal.js';
import { decideRestructuringReversal } from './decide-restructuring-reversal.js';
import { decideRefund } from './decide-refund.js';
import { closeThroughDayBefore, decideCloseOfBusiness } from './decide-close-of-business.js';
import { DEFAULT_PREPAYMENT_OPTION } from './prepayment-option.js';
import type { PaymentAllocation } from './payment-allocation.js';
import { formatAmount } from '../../kernel/money/amount.js';
import { decideBackdatedPayment, isBackdatedPayment } from './decide-backdated-payment.js';
import { generateSchedule } from './repayment-schedule.js';

function decideOriginate(command: OriginateLoan, state: LoanState): LoanEvent[] {
  if (state.terms) throw new BusinessRuleViolation('LOAN.ALREADY_EXISTS', `Loan ${command.loanId} already exists`);
  const { policy } = command;
  const principal = amountIn(command.principal, command.currency, 'principal');
  for (const [field, rate] of [['annualInterestRate', command.annualInterestRate], ['penaltyAnnualRate', command.penaltyAnnualRate]] as const) {
    if (rate !== undefined && rateExceeds(rate, policy.costCapAnnualRate)) {
      throw new BusinessRuleViolation(
        'RATE_ABOVE_CAP',
        `${field} ${rate} exceeds the ${policy.name} policy's cap of ${policy.costCapAnnualRate}`,
        { field, rate, cap: policy.costCapAnnualRate },
      );
    }
  }
  const acceptedOn = Temporal.Instant.from(command.riskDisclosure.acceptedAt)
    .toZonedDateTimeISO(command.borrowerTimeZone)
    .toPlainDate()
    .toString();
  if (acceptedOn > command.originatedOn) {
    throw new BusinessRuleViolation(
      'LOAN.RISK_DISCLOSURE_AFTER_ORIGINATION',
      `The risk warning was accepted on ${acceptedOn}, after origination on ${command.originatedOn}`,
    );
  }
  // A credit decision rests on an assessment made before it, as the risk warning must be accepted before it.
  if (command.creditAssessment.assessedOn > command.originatedOn) {
    throw new BusinessRuleViolation(
      'LOAN.ASSESSMENT_AFTER_ORIGINATION',
      `The credit assessment is dated ${command.creditAssessment.assessedOn}, after origination on ${command.originatedOn}`,
    );
  }
  const penaltyAnnualRate = command.penaltyAnnualRate ?? defaultPenaltyRate(command.annualInterestRate, policy);
  return [
    {
      type: 'LoanOriginated',
      data: {
        loanId: command.loanId,
        borrowerId: command.borrowerId,
        borrowerTimeZone: command.borrowerTimeZone,
        currency: command.currency,
        principal,
        annualInterestRate: command.annualInterestRate,
        termMonths: command.termMonths,
        repaymentMethod: command.repaymentMethod,
        originatedOn: command.originatedOn,
        gracePeriodDays: command.gracePeriodDays ?? policy.defaultGracePeriodDays,
        penaltyAnnualRate,
        penaltyRateSource: command.penaltyAnnualRate === undefined ? 'policy-default' : 'contract',
        policy: {
          name: policy.name,
          costCapAnnualRate: policy.costCapAnnualRate,
          rounding: policy.rounding,
          ...(policy.writeOffAfterDaysPastDue !== undefined && { writeOffAfterDaysPastDue: policy.writeOffAfterDaysPastDue }),
          penaltyRateMultiplier: policy.penaltyRateMultiplier,
        },
        creditAssessment: command.creditAssessment,
        riskDisclosure: command.riskDisclosure,
        ...(command.borrower && { borrower: command.borrower }),
      },
    },
  ];
}

function decideDisburse(command: DisburseLoan, state: LoanState): LoanEvent[] {
  const terms = originated(state);
  if (state.status === 'cancelled') throw new BusinessRuleViolation('LOAN.CANCELLED', 'The loan origination was cancelled: nothing can be disbursed');
  if (state.disbursedOn) {
    throw new BusinessRuleViolation('LOAN.ALREADY_DISBURSED', `The loan was already disbursed on ${state.disbursedOn}`);
  }
  const schedule = generateSchedule({
    principal: terms.principal,
    annualInterestRate: terms.annualInterestRate,
    termMonths: terms.termMonths,
    repaymentMethod: terms.repaymentMethod,
    disbursedOn: command.disbursedOn,
    rounding: terms.policy.rounding,
  });
  return [
    {
      type: 'LoanDisbursed',
      data: { disbursedOn: command.disbursedOn, reference: command.reference, amount: terms.principal, schedule },
    },
  ];
}

function decidePayment(command: ReceivePayment, state: LoanState): LoanEvent[] {
  const { disbursedOn } = disbursed(state);
  if (state.payments.has(command.paymentId)) {
    throw new BusinessRuleViolation('PAYMENT.DUPLICATE_ID', `Payment ${command.paymentId} is already recorded`);
  }
  if (command.receivedOn < disbursedOn) {
    throw new BusinessRuleViolation(
      'PAYMENT.BEFORE_DISBURSEMENT',
      `A payment received on ${command.receivedOn} precedes the disbursement on ${disbursedOn}`,
    );
  }
  const undone = writeOffThePaymentPredates(command, state);
  const standing = undone.reduce(evolveLoan, state);
  if (standing.status === 'active' && isBackdatedPayment(standing, command.receivedOn)) {
    return [...undone, ...decideBackdatedPayment(command, standing, { receivePayment: decidePaymentOnItsDay, closeBusinessDay: decideCloseOfBusiness })];
  }
  return [...undone, ...decidePaymentOnItsDay(command, standing)];
}

/**
 * A payment received before the day close of business wrote the loan off under the policy's
 * days-past-due limit undoes that write-off: the close decided on what it knew, and the
 * payment shows it knew wrong. The write-off is reversed (WriteOffReversed) and the payment
 * reconciled on its day like any payment recorded late; if the loan is still past the limit
 * without it, the reconciliation writes it off again, on the day the limit was passed. While
 * recoveries since stand, the payment is a recovery (money is never refused): reverse them
 * first to have it counted on its day. A write-off a person decided stays: reverse it by hand.
 */
function writeOffThePaymentPredates(command: ReceivePayment, state: LoanState): LoanEvent[] {
  const writtenOff = state.writtenOff;
  if (state.status !== 'written-off' || !writtenOff?.automatic || command.receivedOn >= writtenOff.writtenOffOn) return [];
  if ([...state.payments.values()].some((p) => p.recovery && !p.reversed)) return [];
  return decideWriteOffReversal(
    { kind: 'reverse-write-off', writeOffId: writtenOff.writeOffId, reversedOn: writtenOff.writtenOffOn, reason: `payment ${command.paymentId} received on ${command.receivedOn}, before the write-off` },
    state,
  );
}

/**
 * The payment decided on the state of its own day: what close of business would have
 * recorded through the day before (misses and penalty, which the payment then pays
 * first), then the allocation. Money is never refused: on a paid-off loan all of it is
 * held as overpayment; on a written-off loan it is a recovery.
 */
function decidePaymentOnItsDay(command: ReceivePayment, state: LoanState): LoanEvent[] {
  const terms = state.terms!;
  const amount = amountIn(command.amount, terms.currency, 'amount');
  const closed = closeThroughDayBefore(state, command.receivedOn);
  const before = closed.reduce(evolveLoan, state);
  const recovery = before.status === 'written-off';
  const allocation: PaymentAllocation =
    before.status === 'paid-off'
      ? { instalments: [], prepaid: [], overpayment: amount }
      : recovery
        ? allocateRecovery(instalmentsInForce(before), amount)
        : allocatePayment(instalmentsInForce(before), amount, command.receivedOn, {
            annualInterestRate: interestRateInForce(before),
            repaymentMethod: terms.repaymentMethod,
            rounding: terms.policy.rounding,
            option: command.prepayment ?? DEFAULT_PREPAYMENT_OPTION,
          }, scheduleInForce(before));
  const received: LoanEvent = {
    type: 'PaymentReceived',
    data: {
      paymentId: command.paymentId,
      amount,
      receivedOn: command.receivedOn,
      channel: command.channel,
      reference: command.reference,
      allocation,
      ...(recovery && { recovery }),
    },
  };
  // A written-off loan stays written off however much is recovered.
  if (before.status !== 'active' || loanOutstanding(evolveLoan(before, received)) > 0) return [...closed, received];
  return [...closed, received, { type: 'LoanPaidOff', data: { paidOffOn: command.receivedOn, paymentId: command.paymentId } }];
}

function decideReversal(command: ReversePayment, state: LoanState): LoanEvent[] {
  originated(state);
  const payment = state.payments.get(command.paymentId);
  if (!payment) throw new BusinessRuleViolation('PAYMENT.NOT_FOUND', `No payment ${command.paymentId} on this loan`);
  if (payment.reversed) throw new BusinessRuleViolation('PAYMENT.ALREADY_REVERSED', `Payment ${command.paymentId} was already reversed`);
  if (command.reversedOn < payment.receivedOn) {
    throw new BusinessRuleViolation(
      'PAYMENT.REVERSAL_BEFORE_PAYMENT',
      `A reversal on ${command.reversedOn} precedes the payment received on ${payment.receivedOn}`,
    );
  }
  // What the closes through the day before would have recorded first (a write-off under the
  // policy included): the reversal is judged on that, and the days past due it adds count
  // from its own date (delinquency-episode.ts).
  const closed = closeThroughDayBefore(state, command.reversedOn);
  const before = closed.reduce(evolveLoan, state);
  // A write-off the closes through yesterday make is the policy's: the reversal is refused before any of it is recorded.
  const fixedSince = before.writtenOff?.writtenOffOn ?? before.restructuring?.effectiveOn;
  if (fixedSince && payment.receivedOn <= fixedSince && !payment.recovery) {
    throw new BusinessRuleViolation(
      'PAYMENT.BEFORE_RESTRUCTURING_OR_WRITE_OFF',
      `Payment ${command.paymentId} was received on ${payment.receivedOn}, before the loan's balances were restructured or written off (under its policy, where no one recorded it) on ${fixedSince}`,
    );
  }
  const later = [...before.payments.values()].slice([...before.payments.keys()].indexOf(command.paymentId) + 1).filter((p) => !p.reversed);
  if (payment.allocation.reamortised && later.length > 0) {
    throw new BusinessRuleViolation(
      'PAYMENT.LATER_PAYMENT_STANDS',
      `Payment ${command.paymentId} re-amortised the schedule that payment ${later[0]!.paymentId} was then allocated on: reverse the later payments first, then record them again`,
      { laterPaymentIds: later.map((p) => p.paymentId) },
    );
  }
  if (payment.allocation.overpayment > before.overpaymentHeld) {
    const money = (minor: number) => formatAmount(minor, before.terms!.currency);
    throw new BusinessRuleViolation(
      'PAYMENT.OVERPAYMENT_REFUNDED',
      `Payment ${command.paymentId} left ${money(payment.allocation.overpayment)} of overpayment, but only ${money(before.overpaymentHeld)} is still held: the rest was refunded`,
    );
  }
  const reversed: LoanEvent = {
    type: 'PaymentReversed',
    data: { paymentId: command.paymentId, reason: command.reason, reversedOn: command.reversedOn, allocation: payment.allocation },
  };
  // Reversing what was only ever overpayment leaves nothing owed: the loan stays paid off.
  if (before.status !== 'paid-off' || loanOutstanding(evolveLoan(before, reversed)) === 0) return [...closed, reversed];
  return [...closed, reversed, { type: 'LoanReopened', data: { reopenedOn: command.reversedOn, reversedPaymentId: command.paymentId } }];
}

/**
 * Nothing happens to a loan before it exists: a date before its origination is a typo, and
 * one that would stay in the log for good, so it is refused as bad input naming the field.
 * A close of business of an earlier day has nothing to do for the loan and is left to say so.
 */
function refuseDateBeforeOrigination(command: LoanCommand, state: LoanState): void {
  if (command.kind === 'originate' || command.kind === 'close-business-day' || !state.terms) return;
  const { field, date } = businessDateOf(command);
  if (date < state.terms.originatedOn) {
    throw new InvalidInputError('BUSINESS_DATE.BEFORE_ORIGINATION', `${field} ${date} is before the loan's origination on ${state.terms.originatedOn}`, {
      field,
      originatedOn: state.terms.originatedOn,
    });
  }
}

export const loanDecider: Decider<LoanCommand, LoanEvent, LoanState> = {
  initialState: initialLoanState,
  evolve: evolveLoan,
  // Loading a loan folds its whole stream when no snapshot stands for it (as GET /loans/{id} always does): linear, not quadratic.
  fold: (state, events) => foldLoan(events, state),
  snapshotting: loanSnapshotting,
  decide(command, state) {
    refuseDateBeforeOrigination(command, state);
    switch (command.kind) {
      case 'originate':
        return decideOriginate(command, state);
      case 'disburse':
        return decideDisburse(command, state);
      case 'receive-payment':
        return decidePayment(command, state);
      case 'reverse-payment':
        return decideReversal(command, state);
      case 'refund-overpayment':
        return decideRefund(command, state);
      case 'close-business-day':
        return decideCloseOfBusiness(command, state);
      case 'restructure':
        return decideRestructuring(command, state);
      case 'waive-penalty':
        return decidePenaltyWaiver(command, state);
      case 'write-off':
        return decideWriteOff(command, state);
      case 'cancel-origination':
        return decideOriginationCancellation(command, state);
      case 'reverse-penalty-waiver':
        return decideWaiverReversal(command, state);
      case 'reverse-write-off':
        return decideWriteOffReversal(command, state);
      case 'reverse-restructuring':
        return decideRestructuringReversal(command, state);
    }
  },
};
