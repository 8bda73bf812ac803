import { Temporal } from 'temporal-polyfill';
import type { Decider } from '../../kernel/decider.js';
import { BusinessRuleViolation } from '../../kernel/errors/domain-error.js';
import { Dec, minRate, rateExceeds } from '../../kernel/money/rate.js';
import { allocatePayment } from './allocate-payment.js';
import { addDays } from '../../kernel/dates/business-date.js';
import type { CloseBusinessDay, DisburseLoan, LoanCommand, OriginateLoan, ReceivePayment, ReversePayment } from './loan-commands.js';
import type { LoanEvent } from './loan-events.js';
import {
  type LoanState,
  evolveLoan,
  initialLoanState,
  instalmentsInForce,
  interestOutstanding,
  loanOutstanding,
  principalOutstanding,
} from './loan-state.js';
import { daysPastDue, oldestUnpaidDueOn } from './overdue/days-past-due.js';
import { loanSnapshotting } from './loan-snapshot.js';
import { amountIn, disbursed, originated } from './loan-preconditions.js';
import { decideRestructuring } from './decide-restructuring.js';
import { decidePenaltyWaiver } from './decide-penalty-waiver.js';
import { decideWriteOff, writeOff } from './decide-write-off.js';
import { restructuringObservationEndsOn } from './restructuring-observation.js';
import { accruePenalty } from './penalty-accrual.js';
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
  const penaltyAnnualRate =
    command.penaltyAnnualRate ??
    minRate(new Dec(command.annualInterestRate).times(policy.penaltyRateMultiplier).toString(), policy.costCapAnnualRate);
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
  if (state.disbursedOn) {
    throw new BusinessRuleViolation('LOAN.ALREADY_DISBURSED', `The loan was already disbursed on ${state.disbursedOn}`);
  }
  if (command.disbursedOn < terms.originatedOn) {
    throw new BusinessRuleViolation(
      'LOAN.DISBURSED_BEFORE_ORIGINATION',
      `Disbursement on ${command.disbursedOn} is before origination on ${terms.originatedOn}`,
    );
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
  if (state.status === 'paid-off') {
    throw new BusinessRuleViolation('LOAN.CLOSED', `The loan is ${state.status}; nothing more can be paid`);
  }
  if (state.payments.has(command.paymentId)) {
    throw new BusinessRuleViolation('PAYMENT.DUPLICATE_ID', `Payment ${command.paymentId} is already recorded`);
  }
  if (command.receivedOn < disbursedOn) {
    throw new BusinessRuleViolation(
      'PAYMENT.BEFORE_DISBURSEMENT',
      `A payment received on ${command.receivedOn} precedes the disbursement on ${disbursedOn}`,
    );
  }
  const recovery = state.status === 'written-off';
  if (!recovery && isBackdatedPayment(state, command.receivedOn)) {
    return decideBackdatedPayment(command, state, { receivePayment: decidePaymentOnItsDay, closeBusinessDay: decideCloseOfBusiness });
  }
  return decidePaymentOnItsDay(command, state);
}

/** The payment decided on the state of its own day: penalty through the day before, then the allocation. */
function decidePaymentOnItsDay(command: ReceivePayment, state: LoanState): LoanEvent[] {
  const terms = state.terms!;
  const amount = amountIn(command.amount, terms.currency, 'amount');
  const recovery = state.status === 'written-off';
  // Penalty runs up to the day the overdue principal is paid; posting it now means a loan
  // cured between two closes of business still owes, and pays first, the days in between.
  const penalty = recovery ? undefined : accruePenalty(state.instalments, addDays(command.receivedOn, -1), terms.penaltyAnnualRate, terms.policy.rounding);
  const accrued: LoanEvent[] = penalty ? [{ type: 'PenaltyAccrued', data: penalty }] : [];
  const before = accrued.reduce(evolveLoan, state);
  const allocation = allocatePayment(instalmentsInForce(before), amount, command.receivedOn);
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
  if (recovery || loanOutstanding(evolveLoan(before, received)) > 0) return [...accrued, received];
  return [...accrued, received, { type: 'LoanPaidOff', data: { paidOffOn: command.receivedOn, paymentId: command.paymentId } }];
}

function decideReversal(command: ReversePayment, state: LoanState): LoanEvent[] {
  originated(state);
  const payment = state.payments.get(command.paymentId);
  if (!payment) throw new BusinessRuleViolation('PAYMENT.NOT_FOUND', `No payment ${command.paymentId} on this loan`);
  if (payment.reversed) throw new BusinessRuleViolation('PAYMENT.ALREADY_REVERSED', `Payment ${command.paymentId} was already reversed`);
  const fixedSince = state.writtenOff?.writtenOffOn ?? state.restructuring?.effectiveOn;
  if (fixedSince && payment.receivedOn <= fixedSince && !payment.recovery) {
    throw new BusinessRuleViolation(
      'PAYMENT.BEFORE_RESTRUCTURING_OR_WRITE_OFF',
      `Payment ${command.paymentId} was received on ${payment.receivedOn}, before the loan's balances were restructured or written off on ${fixedSince}`,
    );
  }
  if (command.reversedOn < payment.receivedOn) {
    throw new BusinessRuleViolation(
      'PAYMENT.REVERSAL_BEFORE_PAYMENT',
      `A reversal on ${command.reversedOn} precedes the payment received on ${payment.receivedOn}`,
    );
  }
  const reversed: LoanEvent = {
    type: 'PaymentReversed',
    data: { paymentId: command.paymentId, reason: command.reason, reversedOn: command.reversedOn, allocation: payment.allocation },
  };
  if (state.status !== 'paid-off') return [reversed];
  return [reversed, { type: 'LoanReopened', data: { reopenedOn: command.reversedOn, reversedPaymentId: command.paymentId } }];
}

/**
 * Close of business for one loan on `businessDate`: instalments whose grace period has
 * ended unpaid are missed (once, dated the day the grace ended), penalty accrues for the
 * days since the last accrual, and reaching 30, 60 or 90 days past due is recorded once
 * per delinquency episode. Every date recorded follows from the schedule, not from when
 * COB happened to run, so a catch-up over several days records what daily runs would.
 */
function decideCloseOfBusiness(command: CloseBusinessDay, state: LoanState): LoanEvent[] {
  const terms = originated(state);
  if (state.status !== 'active') return [];
  const on = command.businessDate;
  // An instalment is missed once its due date + grace days is on or before the business date.
  const lastMissableDueOn = addDays(on, -terms.gracePeriodDays);
  const missed: LoanEvent[] = state.instalments
    .filter((i) => i.dueOn <= lastMissableDueOn && i.missedOn === undefined && principalOutstanding(i) + interestOutstanding(i) > 0)
    .map((i) => ({
      type: 'InstalmentMissed',
      data: {
        number: i.number,
        dueOn: i.dueOn,
        missedOn: addDays(i.dueOn, terms.gracePeriodDays),
        principalOutstanding: principalOutstanding(i),
        interestOutstanding: interestOutstanding(i),
      },
    }));
  const afterMissed = missed.reduce(evolveLoan, state);
  const penalty = accruePenalty(afterMissed.instalments, on, terms.penaltyAnnualRate, terms.policy.rounding);
  const events = penalty ? [...missed, { type: 'PenaltyAccrued', data: penalty } as LoanEvent] : missed;
  const observationEnd = restructuringObservationEndsOn(state);
  if (observationEnd && observationEnd <= on) {
    events.push({ type: 'RestructuringObservationEnded', data: { restructuringId: state.restructuring!.restructuringId, endedOn: observationEnd } });
  }

  const oldest = oldestUnpaidDueOn(state.instalments);
  const dpd = daysPastDue(state.instalments, on);
  for (const threshold of DELINQUENCY_THRESHOLDS) {
    if (oldest === undefined || dpd < threshold || state.delinquencyThreshold >= threshold) continue;
    events.push({
      type: 'DelinquencyThresholdReached',
      data: { threshold, reachedOn: addDays(oldest, threshold), oldestUnpaidDueOn: oldest },
    });
  }
  const limit = terms.policy.writeOffAfterDaysPastDue;
  if (limit !== undefined && dpd > limit) {
    const before = events.reduce(evolveLoan, state);
    events.push(writeOff(before, { writeOffId: `cob:${on}`, writtenOffOn: on, reason: `more than ${limit} days past due`, automatic: true }));
  }
  return events;
}

const DELINQUENCY_THRESHOLDS = [30, 60, 90] as const;

export const loanDecider: Decider<LoanCommand, LoanEvent, LoanState> = {
  initialState: initialLoanState,
  evolve: evolveLoan,
  snapshotting: loanSnapshotting,
  decide(command, state) {
    switch (command.kind) {
      case 'originate':
        return decideOriginate(command, state);
      case 'disburse':
        return decideDisburse(command, state);
      case 'receive-payment':
        return decidePayment(command, state);
      case 'reverse-payment':
        return decideReversal(command, state);
      case 'close-business-day':
        return decideCloseOfBusiness(command, state);
      case 'restructure':
        return decideRestructuring(command, state);
      case 'waive-penalty':
        return decidePenaltyWaiver(command, state);
      case 'write-off':
        return decideWriteOff(command, state);
    }
  },
};
