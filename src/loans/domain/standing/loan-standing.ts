import { type BusinessDate, addDays, daysBetween } from '../../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../../kernel/money/amount.js';
import { type DelinquencyBucket, bucketOf } from './delinquency-bucket.js';
import { type FiveCategoryClass, type Ifrs9Stage, fiveCategoryClassOf, ifrs9StageOf } from './risk-classification.js';

/**
 * A loan's standing on a business date — days past due, bucket, class, stage, what is
 * overdue, what has fallen due, what is next — computed here and nowhere else (DESIGN.md
 * §3). Every view asks this module: the loan view, overdue status and its SQL filters,
 * the collection queue, credit history and bureau codes, the regulator report and the
 * dashboard history. Each view only says what it knows of the loan (StandingFacts).
 *
 * The rules:
 * - DPD = the date − the due date of the oldest instalment with unpaid principal or
 *   interest (penalty alone keeps no loan delinquent); 0 when none is, before it is due,
 *   before disbursement and once paid off. It keeps counting after a write-off: the debt
 *   is still owed and bureaus and the regulator see its age.
 * - The bucket follows DPD; a written-off loan is loss and stage 3 whatever its DPD.
 * - Nothing is "next due" on a loan that is not open (written off, paid off, not yet disbursed).
 */

/** What one instalment still owes. */
export interface InstalmentOwed {
  readonly dueOn: BusinessDate;
  readonly principal: MinorUnits;
  readonly interest: MinorUnits;
  readonly penalty: MinorUnits;
}

export type LoanAccount = 'not-open' | 'open' | 'paid-off' | 'written-off';

/** What a view knows of a loan; enough to judge its standing on any date. */
export interface StandingFacts {
  /** `approved`: originated, not yet disbursed. */
  readonly status: 'approved' | 'cancelled' | 'active' | 'paid-off' | 'written-off' | undefined;
  /** When known: a loan disbursed after the date looked at is not open on it. */
  readonly disbursedOn?: BusinessDate | undefined;
  readonly instalments: readonly InstalmentOwed[];
  readonly inRestructuringObservation: boolean;
  /** While under observation: the non-performing class the loan was restructured in, kept as a floor. */
  readonly observationClassFloor?: FiveCategoryClass | undefined;
}

export interface Owed {
  readonly principal: MinorUnits;
  readonly interest: MinorUnits;
  readonly penalty: MinorUnits;
}

export interface LoanStanding {
  readonly on: BusinessDate;
  readonly account: LoanAccount;
  readonly daysPastDue: number;
  readonly oldestUnpaidDueOn: BusinessDate | undefined;
  readonly bucket: DelinquencyBucket;
  readonly classification: FiveCategoryClass;
  readonly ifrs9Stage: Ifrs9Stage;
  readonly inRestructuringObservation: boolean;
  readonly principalOutstanding: MinorUnits;
  /** Past due: principal, interest and penalty of instalments due before the date. */
  readonly overdue: Owed;
  /** Fallen due: principal, interest and penalty of instalments due on or before the date. */
  readonly fallenDue: Owed;
  /** Interest of instalments not yet fallen due: scheduled, not owed. */
  readonly futureInterest: MinorUnits;
  /** What a bureau calls the balance: principal outstanding plus the interest and penalty fallen due. */
  readonly balance: MinorUnits;
  readonly nextDue: { readonly dueOn: BusinessDate; readonly amount: MinorUnits } | undefined;
}

/** The due date DPD counts from: the oldest instalment with unpaid principal or interest. */
export function oldestUnpaidDueOn(instalments: readonly Pick<InstalmentOwed, 'dueOn' | 'principal' | 'interest'>[]): BusinessDate | undefined {
  return instalments.find((i) => i.principal + i.interest > 0)?.dueOn;
}

/** Days past due on `on` counted from an oldest unpaid due date (the rule above, for callers that keep only that date). */
export function daysPastDueSince(unpaidSince: BusinessDate | undefined, on: BusinessDate): number {
  return unpaidSince === undefined ? 0 : Math.max(0, daysBetween(unpaidSince, on));
}

/**
 * The oldest-unpaid-due-date bounds that select DPD in [min, max] on `on`: DPD ≥ n ⇔
 * unpaid since ≤ on − n, DPD ≤ m ⇔ unpaid since ≥ on − m. For read models that store
 * the date and filter in SQL; `latest` undefined when min is 0 (current loans included).
 */
export function unpaidSinceBounds(range: { min: number; max: number | undefined }, on: BusinessDate): { earliest: BusinessDate | undefined; latest: BusinessDate | undefined } {
  return {
    latest: range.min > 0 ? addDays(on, -range.min) : undefined,
    earliest: range.max !== undefined ? addDays(on, -range.max) : undefined,
  };
}

export function accountOf(facts: Pick<StandingFacts, 'status' | 'disbursedOn'>, on: BusinessDate): LoanAccount {
  if (facts.status === undefined || facts.status === 'approved' || facts.status === 'cancelled') return 'not-open';
  if (facts.disbursedOn !== undefined && facts.disbursedOn > on) return 'not-open';
  if (facts.status === 'active') return 'open';
  return facts.status;
}

export function standingFrom(facts: StandingFacts, on: BusinessDate): LoanStanding {
  const account = accountOf(facts, on);
  const counted = account === 'open' || account === 'written-off';
  const instalments = counted ? facts.instalments : [];
  const oldest = oldestUnpaidDueOn(instalments);
  const daysPastDue = daysPastDueSince(oldest, on);
  const writtenOff = account === 'written-off';
  const inRestructuringObservation = account === 'open' && facts.inRestructuringObservation;
  const sum = (pick: (i: InstalmentOwed) => MinorUnits, where: (i: InstalmentOwed) => boolean = () => true) =>
    instalments.filter(where).reduce((total, i) => total + pick(i), 0);
  // Penalty belongs to its instalment's due date like interest does: the penalty a restructuring kept due with its first
  // new instalment is overdue exactly when that instalment's interest is.
  const owedBy = (where: (i: InstalmentOwed) => boolean): Owed => ({
    principal: sum((i) => i.principal, where),
    interest: sum((i) => i.interest, where),
    penalty: sum((i) => i.penalty, where),
  });
  const fallenDue = owedBy((i) => i.dueOn <= on);
  const principalOutstanding = sum((i) => i.principal);
  const next = account === 'open' ? instalments.find((i) => i.dueOn >= on && i.principal + i.interest > 0) : undefined;
  const classed = { daysPastDue, writtenOff, inRestructuringObservation, observationClassFloor: facts.observationClassFloor };
  return {
    on,
    account,
    daysPastDue,
    oldestUnpaidDueOn: oldest,
    bucket: bucketOf(daysPastDue),
    classification: fiveCategoryClassOf(classed),
    ifrs9Stage: ifrs9StageOf(classed),
    inRestructuringObservation,
    principalOutstanding,
    overdue: owedBy((i) => i.dueOn < on),
    fallenDue,
    futureInterest: sum((i) => i.interest, (i) => i.dueOn > on),
    balance: principalOutstanding + fallenDue.interest + fallenDue.penalty,
    nextDue: next && { dueOn: next.dueOn, amount: next.principal + next.interest + next.penalty },
  };
}

/** Which shares of the portfolio a loan's outstanding principal counts toward (regulator report and dashboard alike). */
export interface RatioNumerators {
  readonly pastDue: boolean;
  readonly dpdOver30: boolean;
  readonly dpdOver90: boolean;
  /** Non-performing: substandard, doubtful or loss. */
  readonly nonPerforming: boolean;
}

export function ratioNumeratorsOf(standing: LoanStanding): RatioNumerators {
  return {
    pastDue: standing.daysPastDue > 0,
    dpdOver30: standing.daysPastDue > 30,
    dpdOver90: standing.daysPastDue > 90,
    nonPerforming: standing.classification === 'substandard' || standing.classification === 'doubtful' || standing.classification === 'loss',
  };
}
