import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { ratio } from '../../kernel/money/ratio.js';
import { type YearMonth, addMonthsTo, firstDayOf, lastDayOf, monthOf, monthsBetween } from '../../kernel/dates/year-month.js';
import { formatAmount } from '../../kernel/money/amount.js';
import { rateExceeds } from '../../kernel/money/rate.js';
import type { CollectionEvent } from '../../collections/domain/collection-events.js';
import type { LoanWrittenOffData, LoanEvent } from '../../loans/domain/loan-events.js';
import { allocatedTotal } from '../../loans/domain/payment-allocation.js';
import { DELINQUENCY_BUCKETS, type DelinquencyBucket } from '../../loans/domain/standing/delinquency-bucket.js';
import { FIVE_CATEGORY_CLASSES, type FiveCategoryClass, type Ifrs9Stage } from '../../loans/domain/standing/risk-classification.js';
import { type LoanStanding, ratioNumeratorsOf } from '../../loans/domain/standing/loan-standing.js';
import { interestRateInForce, penaltyRateInForce } from '../../loans/domain/rates-in-force.js';
import { LoanReportFacts } from './loan-report-facts.js';
import { loanStandingOn as standingOn } from '../../loans/domain/days-past-due.js';
import { compareText } from '../../kernel/text/compare-text.js';
import type { ReportBasis } from '../report-basis/report-basis.js';

export interface LoansAndPrincipal {
  readonly loans: number;
  readonly principal: string;
}

export interface CurrencyReport {
  readonly currency: string;
  readonly portfolio: {
    readonly loans: number;
    readonly principalOutstanding: string;
    readonly byClass: readonly ({ readonly class: FiveCategoryClass } & LoansAndPrincipal)[];
    readonly byBucket: readonly ({ readonly bucket: DelinquencyBucket } & LoansAndPrincipal)[];
    readonly byStage: readonly ({ readonly stage: Ifrs9Stage } & LoansAndPrincipal)[];
    /** Substandard + doubtful + loss principal over all outstanding principal. */
    readonly nplRatio: string;
    readonly overdueRatioDpdOver30: string;
    readonly overdueRatioDpdOver90: string;
  };
  readonly flows: {
    readonly disbursements: { readonly count: number; readonly amount: string };
    readonly paymentsReceived: { readonly count: number; readonly amount: string };
    readonly paymentsReversed: { readonly count: number; readonly amount: string };
    /** Penalty accrued for the days of the period, whichever close of business posted it; count: loans it accrued on. */
    readonly penaltiesAccrued: { readonly count: number; readonly amount: string };
    /** Corrections by payments recorded late (negative: less penalty was owed than accrued). */
    readonly penaltiesAdjusted: { readonly count: number; readonly amount: string };
    readonly penaltiesWaived: { readonly count: number; readonly amount: string };
    readonly restructurings: { readonly count: number; readonly principal: string };
    readonly writeOffs: { readonly count: number; readonly principal: string; readonly interest: string; readonly penalty: string };
    readonly recoveries: { readonly count: number; readonly amount: string };
    /** Held overpayment paid back to borrowers. */
    readonly refunds: { readonly count: number; readonly amount: string };
    /** Decisions undone in the period by a correcting event: the penalty owed again, and how many write-offs, restructurings and originations were undone. */
    readonly corrections: {
      readonly waiverReversals: { readonly count: number; readonly amount: string };
      /** The write-offs undone, with what each had written off: writeOffs less these is what stays written off. */
      readonly writeOffReversals: { readonly count: number; readonly principal: string; readonly interest: string; readonly penalty: string };
      readonly restructuringReversals: { readonly count: number };
      readonly originationsCancelled: { readonly count: number };
    };
  };
  /**
   * Loans on the books at the previous month's end, by the bucket that month's report showed
   * for them and where they stood on the report date: each row reconciles with the previous report.
   */
  readonly rollRates: readonly { readonly from: DelinquencyBucket; readonly to: readonly ({ readonly to: RollDestination } & LoansAndPrincipal)[] }[];
  /**
   * Loans whose standing at the previous month's end was corrected after that month's report
   * (a payment or reversal recorded later): what the report showed, and what is known now.
   */
  readonly restatedPreviousMonthEnd: readonly ({ readonly reported: StandingCell; readonly now: StandingCell } & LoansAndPrincipal)[];
  readonly vintages: readonly {
    readonly disbursedIn: YearMonth;
    readonly loans: number;
    readonly principal: string;
    /** Index k: share of the month's disbursed principal that had been 30+ days past due by the end of its k-th month on book. */
    readonly everThirtyDaysPastDueShare: readonly string[];
  }[];
  readonly capCheck: {
    readonly loansAboveCap: number;
    readonly loans: readonly { readonly loanId: string; readonly rate: string; readonly penaltyRate: string; readonly cap: string }[];
  };
}

export type RollDestination = DelinquencyBucket | 'paid-off' | 'written-off';
/** Where a loan stood at a month end, as a roll-rate cell names it. */
export type StandingCell = RollDestination | 'not-open';
export const ROLL_DESTINATIONS: readonly RollDestination[] = [...DELINQUENCY_BUCKETS, 'paid-off', 'written-off'];

export interface RegulatoryReport {
  readonly report: 'regulatory';
  readonly asOf: BusinessDate;
  /** Flows and collection conduct cover these days, both included. */
  readonly period: { readonly from: BusinessDate; readonly to: BusinessDate };
  /** Roll rates start from this day's standing. */
  readonly previousMonthEnd: BusinessDate;
  /** The report is derived from the events up to this global position and no other. */
  readonly basis: ReportBasis;
  readonly currencies: readonly CurrencyReport[];
  readonly collectionConduct: {
    readonly contacts: readonly { readonly channel: string; readonly party: string; readonly count: number }[];
    readonly violations: readonly { readonly rule: string; readonly count: number }[];
    /** The same violations by the person the contact was with: the borrower, or a third party by name. */
    readonly violationsByPerson: readonly { readonly rule: string; readonly party: string; readonly person: string; readonly count: number }[];
  };
}


/** A violation's rule and the person the contact was with, as one map key. */
function personKey(rule: string, party: string | undefined, personReached: string | undefined): string {
  const person = party === 'borrower' || party === undefined ? 'borrower' : (personReached ?? '(unnamed)');
  return [rule, party ?? 'borrower', person].join('\u0000');
}

interface Flow {
  count: number;
  amount: number;
}

interface CurrencyFlows {
  disbursements: Flow;
  paymentsReceived: Flow;
  paymentsReversed: Flow;
  penaltiesAdjusted: Flow;
  penaltiesWaived: Flow;
  restructurings: Flow;
  writeOffs: Flow & { interest: number; penalty: number };
  recoveries: Flow;
  refunds: Flow;
  waiverReversals: Flow;
  writeOffReversals: Flow & { interest: number; penalty: number };
  restructuringReversals: Flow;
  originationsCancelled: Flow;
}

const flow = (): Flow => ({ count: 0, amount: 0 });

/**
 * The regulator report for a business date, fed the events of the log up to that date's
 * close of business in log order. Portfolio figures cover loans on the books on the
 * report date (disbursed, neither paid off nor written off); flows count what took
 * effect from the first day of the report date's month to the report date (penalty: what
 * accrued for those days).
 */
export class RegulatoryReportBuilder {
  private readonly loans = new Map<string, LoanReportFacts>();
  private readonly flows = new Map<string, CurrencyFlows>();
  private readonly contacts = new Map<string, number>();
  private readonly violations = new Map<string, number>();
  private readonly violationsByPerson = new Map<string, number>();
  /** Each loan's latest write-off, for the reversal that may undo it. */
  private readonly writeOffs = new Map<string, LoanWrittenOffData>();
  readonly periodStart: BusinessDate;
  readonly previousMonthEnd: BusinessDate;

  constructor(
    readonly asOf: BusinessDate,
    private readonly previousReportPosition?: number,
  ) {
    this.periodStart = firstDayOf(monthOf(asOf));
    this.previousMonthEnd = lastDayOf(addMonthsTo(monthOf(asOf), -1));
  }

  /**
   * `position`: the event's place in the log. With `previousReportPosition` (the last position
   * the previous month's report rests on) it says what that report knew; without, every event
   * counts as known then.
   */
  addLoanEvent(loanId: string, event: LoanEvent, position?: number): void {
    let facts = this.loans.get(loanId);
    if (!facts) this.loans.set(loanId, (facts = new LoanReportFacts(this.asOf, this.previousMonthEnd)));
    const knownThen = position === undefined || this.previousReportPosition === undefined || position <= this.previousReportPosition;
    const on = facts.apply(event, knownThen);
    const currency = facts.stateAtReportDate.terms?.currency;
    // A reversal counts what the write-off it undoes had written off, whenever that was.
    const reversedWriteOff = event.type === 'WriteOffReversed' ? this.writeOffs.get(loanId) : undefined;
    if (event.type === 'LoanWrittenOff') this.writeOffs.set(loanId, event.data);
    if (on === undefined || on < this.periodStart || currency === undefined) return;
    this.countFlow(currency, event, reversedWriteOff);
  }

  addCollectionEvent(event: CollectionEvent): void {
    if (event.type === 'ContactViolationFound') {
      // Found later (a stop request made before the contact, recorded after it): counted on the contact's own day.
      const { madeOn, rule } = event.data;
      if (madeOn < this.periodStart || madeOn > this.asOf) return;
      increment(this.violations, rule, 1);
      increment(this.violationsByPerson, personKey(rule, event.data.party, event.data.personReached), 1);
      return;
    }
    if (event.type !== 'CollectionContactRecorded') return;
    const { madeOn, channel, party, violations } = event.data;
    if (madeOn < this.periodStart || madeOn > this.asOf) return;
    increment(this.contacts, `${channel}\u0000${party}`, 1);
    for (const violation of violations) {
      increment(this.violations, violation.rule, 1);
      increment(this.violationsByPerson, personKey(violation.rule, party, event.data.personReached), 1);
    }
  }

  build(basis: RegulatoryReport['basis']): RegulatoryReport {
    const byCurrency = new Map<string, LoanReportFacts[]>();
    for (const [, facts] of [...this.loans].sort(([a], [b]) => compareText(a, b))) {
      const currency = facts.stateAtReportDate.terms?.currency;
      if (currency === undefined) continue;
      if (!byCurrency.has(currency)) byCurrency.set(currency, []);
      byCurrency.get(currency)!.push(facts);
    }
    const currencies = [...byCurrency.keys()].sort(compareText).map((currency) => this.currencyReport(currency, byCurrency.get(currency)!, basis.lendingPolicy));
    return {
      report: 'regulatory',
      asOf: this.asOf,
      period: { from: this.periodStart, to: this.asOf },
      previousMonthEnd: this.previousMonthEnd,
      basis,
      currencies,
      collectionConduct: {
        contacts: [...this.contacts]
          .sort(([a], [b]) => compareText(a, b))
          .map(([key, count]) => {
            const [channel, party] = key.split('\u0000') as [string, string];
            return { channel, party, count };
          }),
        violations: [...this.violations].sort(([a], [b]) => compareText(a, b)).map(([rule, count]) => ({ rule, count })),
        violationsByPerson: [...this.violationsByPerson]
          .sort(([a], [b]) => compareText(a, b))
          .map(([key, count]) => {
            const [rule, party, person] = key.split('\u0000') as [string, string, string];
            return { rule, party, person, count };
          }),
      },
    };
  }

  private countFlow(currency: string, event: LoanEvent, reversedWriteOff?: LoanWrittenOffData): void {
    let flows = this.flows.get(currency);
    if (!flows) {
      flows = {
        disbursements: flow(),
        paymentsReceived: flow(),
        paymentsReversed: flow(),
        penaltiesAdjusted: flow(),
        penaltiesWaived: flow(),
        restructurings: flow(),
        writeOffs: { ...flow(), interest: 0, penalty: 0 },
        recoveries: flow(),
        refunds: flow(),
        waiverReversals: flow(),
        writeOffReversals: { ...flow(), interest: 0, penalty: 0 },
        restructuringReversals: flow(),
        originationsCancelled: flow(),
      };
      this.flows.set(currency, flows);
    }
    const add = (into: Flow, amount: number) => {
      into.count++;
      into.amount += amount;
    };
    switch (event.type) {
      case 'LoanDisbursed':
        return add(flows.disbursements, event.data.amount);
      case 'PaymentReceived':
        return add(event.data.recovery ? flows.recoveries : flows.paymentsReceived, event.data.amount);
      case 'PaymentReversed':
        return add(flows.paymentsReversed, allocatedTotal(event.data.allocation));
      case 'OverpaymentRefunded':
        return add(flows.refunds, event.data.amount);
      case 'PenaltyAdjusted':
        return add(flows.penaltiesAdjusted, event.data.amount);
      case 'PenaltyWaived':
        return add(flows.penaltiesWaived, event.data.amount);
      case 'LoanRestructured':
        return add(flows.restructurings, event.data.principal);
      case 'PenaltyWaiverReversed':
        return add(flows.waiverReversals, event.data.amount);
      case 'WriteOffReversed':
        add(flows.writeOffReversals, reversedWriteOff?.principal ?? 0);
        flows.writeOffReversals.interest += reversedWriteOff?.interest ?? 0;
        flows.writeOffReversals.penalty += reversedWriteOff?.penalty ?? 0;
        return;
      case 'RestructuringReversed':
        return add(flows.restructuringReversals, 0);
      case 'LoanOriginationCancelled':
        return add(flows.originationsCancelled, 0);
      case 'LoanWrittenOff':
        add(flows.writeOffs, event.data.principal);
        flows.writeOffs.interest += event.data.interest;
        flows.writeOffs.penalty += event.data.penalty;
        return;
      default:
        return;
    }
  }

  /** `policyInForce`: the lending policy at the report date's close, whose cap every loan's rates answer to (absent: each loan's own). */
  private currencyReport(currency: string, loans: readonly LoanReportFacts[], policyInForce: ReportBasis['lendingPolicy']): CurrencyReport {
    const money = (minor: number) => formatAmount(minor, currency);
    const byClass = new Map<FiveCategoryClass, Tally>(FIVE_CATEGORY_CLASSES.map((c) => [c, tally()]));
    const byBucket = new Map<DelinquencyBucket, Tally>(DELINQUENCY_BUCKETS.map((b) => [b, tally()]));
    const byStage = new Map<Ifrs9Stage, Tally>(([1, 2, 3] as const).map((s) => [s, tally()]));
    const rolls = new Map<string, Tally>();
    const restated = new Map<string, Tally>();
    const vintages = new Map<YearMonth, { loans: number; principal: number; firstThirty: { on: BusinessDate; principal: number }[] }>();
    const aboveCap: CurrencyReport['capCheck']['loans'][number][] = [];
    let total = 0;
    let overdue30 = 0;
    let overdue90 = 0;
    let nonPerforming = 0;

    for (const facts of loans) {
      const state = facts.stateAtReportDate;
      const terms = state.terms!;
      const now = standingOn(state, this.asOf);
      if (now.account === 'open') {
        const principal = now.principalOutstanding;
        const counts = ratioNumeratorsOf(now);
        count(byClass.get(now.classification)!, principal);
        count(byBucket.get(now.bucket)!, principal);
        count(byStage.get(now.ifrs9Stage)!, principal);
        total += principal;
        if (counts.dpdOver30) overdue30 += principal;
        if (counts.dpdOver90) overdue90 += principal;
        if (counts.nonPerforming) nonPerforming += principal;
      }
      const reported = standingOn(facts.stateAtPreviousMonthEndAsReported, this.previousMonthEnd);
      if (reported.account === 'open') {
        const to: RollDestination = now.account === 'open' ? now.bucket : (now.account as 'paid-off' | 'written-off');
        const key = `${reported.bucket}>${to}`;
        if (!rolls.has(key)) rolls.set(key, tally());
        count(rolls.get(key)!, reported.principalOutstanding);
      }
      const knownNow = standingOn(facts.stateAtPreviousMonthEnd, this.previousMonthEnd);
      const [wasShown, isKnown] = [cellOf(reported), cellOf(knownNow)];
      if (wasShown !== isKnown || reported.principalOutstanding !== knownNow.principalOutstanding) {
        const key = `${wasShown}>${isKnown}`;
        if (!restated.has(key)) restated.set(key, tally());
        count(restated.get(key)!, knownNow.principalOutstanding);
      }
      if (state.disbursedOn !== undefined) {
        const month = monthOf(state.disbursedOn);
        if (!vintages.has(month)) vintages.set(month, { loans: 0, principal: 0, firstThirty: [] });
        const vintage = vintages.get(month)!;
        vintage.loans++;
        vintage.principal += terms.principal;
        const first = facts.firstReachedThirtyDaysPastDueOn;
        if (first !== undefined) vintage.firstThirty.push({ on: first, principal: terms.principal });
      }
      const penaltyRate = penaltyRateInForce(state);
      const rates = [terms.annualInterestRate, penaltyRate, ...(state.restructuring ? [state.restructuring.annualInterestRate] : [])];
      const cap = policyInForce?.costCapAnnualRate ?? terms.policy.costCapAnnualRate;
      if (rates.some((rate) => rateExceeds(rate, cap))) {
        aboveCap.push({ loanId: terms.loanId, rate: interestRateInForce(state), penaltyRate, cap });
      }
    }

    const flows = this.flows.get(currency);
    const flowOf = (f: Flow | undefined) => ({ count: f?.count ?? 0, amount: money(f?.amount ?? 0) });
    // Penalty counts in the period of the days it accrued for, whichever close posted it; its count is of loans.
    const accruing = loans.map((facts) => facts.penaltyAccruedInPeriod).filter((amount) => amount !== 0);
    const penaltiesAccrued = { count: accruing.length, amount: accruing.reduce((sum, amount) => sum + amount, 0) };
    const reportMonth = monthOf(this.asOf);
    return {
      currency,
      portfolio: {
        loans: [...byBucket.values()].reduce((sum, t) => sum + t.loans, 0),
        principalOutstanding: money(total),
        byClass: [...byClass].map(([klass, t]) => ({ class: klass, loans: t.loans, principal: money(t.principal) })),
        byBucket: [...byBucket].map(([bucket, t]) => ({ bucket, loans: t.loans, principal: money(t.principal) })),
        byStage: [...byStage].map(([stage, t]) => ({ stage, loans: t.loans, principal: money(t.principal) })),
        nplRatio: ratio(nonPerforming, total),
        overdueRatioDpdOver30: ratio(overdue30, total),
        overdueRatioDpdOver90: ratio(overdue90, total),
      },
      flows: {
        disbursements: flowOf(flows?.disbursements),
        paymentsReceived: flowOf(flows?.paymentsReceived),
        paymentsReversed: flowOf(flows?.paymentsReversed),
        penaltiesAccrued: flowOf(penaltiesAccrued),
        penaltiesAdjusted: flowOf(flows?.penaltiesAdjusted),
        penaltiesWaived: flowOf(flows?.penaltiesWaived),
        restructurings: { count: flows?.restructurings.count ?? 0, principal: money(flows?.restructurings.amount ?? 0) },
        writeOffs: {
          count: flows?.writeOffs.count ?? 0,
          principal: money(flows?.writeOffs.amount ?? 0),
          interest: money(flows?.writeOffs.interest ?? 0),
          penalty: money(flows?.writeOffs.penalty ?? 0),
        },
        recoveries: flowOf(flows?.recoveries),
        refunds: flowOf(flows?.refunds),
        corrections: {
          waiverReversals: flowOf(flows?.waiverReversals),
          writeOffReversals: {
            count: flows?.writeOffReversals.count ?? 0,
            principal: money(flows?.writeOffReversals.amount ?? 0),
            interest: money(flows?.writeOffReversals.interest ?? 0),
            penalty: money(flows?.writeOffReversals.penalty ?? 0),
          },
          restructuringReversals: { count: flows?.restructuringReversals.count ?? 0 },
          originationsCancelled: { count: flows?.originationsCancelled.count ?? 0 },
        },
      },
      restatedPreviousMonthEnd: [...restated.keys()].sort(compareText).map((key) => {
        const [reported, now] = key.split('>') as [StandingCell, StandingCell];
        const t = restated.get(key)!;
        return { reported, now, loans: t.loans, principal: money(t.principal) };
      }),
      rollRates: DELINQUENCY_BUCKETS.map((from) => ({
        from,
        to: ROLL_DESTINATIONS.map((to) => {
          const t = rolls.get(`${from}>${to}`) ?? tally();
          return { to, loans: t.loans, principal: money(t.principal) };
        }),
      })),
      vintages: [...vintages.keys()].sort(compareText).map((disbursedIn) => {
        const vintage = vintages.get(disbursedIn)!;
        const monthsOnBook = monthsBetween(disbursedIn, reportMonth);
        const everThirtyDaysPastDueShare = Array.from({ length: monthsOnBook + 1 }, (_, k) => {
          const end = lastDayOf(addMonthsTo(disbursedIn, k));
          const by = end < this.asOf ? end : this.asOf;
          return ratio(vintage.firstThirty.filter((f) => f.on <= by).reduce((sum, f) => sum + f.principal, 0), vintage.principal);
        });
        return { disbursedIn, loans: vintage.loans, principal: money(vintage.principal), everThirtyDaysPastDueShare };
      }),
      capCheck: { loansAboveCap: aboveCap.length, loans: aboveCap },
    };
  }
}

/** A loan's place at a month end: its bucket while on the books, else how it left (or that it had not opened). */
function cellOf(standing: LoanStanding): StandingCell {
  return standing.account === 'open' ? standing.bucket : standing.account;
}

interface Tally {
  loans: number;
  principal: number;
}

const tally = (): Tally => ({ loans: 0, principal: 0 });

function count(into: Tally, principal: number): void {
  into.loans++;
  into.principal += principal;
}

function increment<K>(map: Map<K, number>, key: K, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** A share as a decimal string with fixed places; 0 when there is nothing to divide by. */
