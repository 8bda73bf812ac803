/**
 * An independent reference model of the loan money rules (schedule, close of business,
 * penalty, payment allocation with re-amortisation, reversal, refund, penalty waiver,
 * restructuring, write-off and recoveries, days past due, payoff quote), written from the rules in the
 * model-based test briefs (and the owner's rulings on write-off, recoveries, reversals of
 * prepayments and waivers), DESIGN.md §2–3
 * and the README — not from the decider's code. Pure functions over its own types; it
 * imports nothing from src but types, and decimal.js.
 *
 * Conventions: amounts are integer minor units; rates decimal strings; dates 'YYYY-MM-DD'.
 */
import { Decimal } from 'decimal.js';
import type { LendingPolicy } from '../../src/policies/lending-policy.js';
import type { RepaymentMethod } from '../../src/loans/domain/repayment-method.js';
import type { RoundingMode } from '../../src/kernel/money/rate.js';

const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof Dec>;

// ───────────────────────────── dates ─────────────────────────────

const DAY_MS = 86_400_000;
const epochDay = (date: string): number => Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY_MS;
const fromEpochDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const plusDays = (date: string, days: number): string => fromEpochDay(epochDay(date) + days);
/** Days from `from` to `to` (to − from). */
export const daysFrom = (from: string, to: string): number => epochDay(to) - epochDay(from);
/** Same day of month `months` later, clamped to the month's end. */
export function plusMonths(date: string, months: number): string {
  const total = +date.slice(0, 4) * 12 + (+date.slice(5, 7) - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(+date.slice(8, 10), lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
const maxDate = (a: string | undefined, b: string): string => (a === undefined || a < b ? b : a);

// ───────────────────────────── money ─────────────────────────────

const ROUNDING: Record<RoundingMode, Decimal.Rounding> = {
  'half-up': Decimal.ROUND_HALF_UP,
  'half-even': Decimal.ROUND_HALF_EVEN,
  down: Decimal.ROUND_DOWN,
  up: Decimal.ROUND_UP,
};
export const roundMinor = (value: Dec, rounding: RoundingMode): number => value.toDecimalPlaces(0, ROUNDING[rounding]).toNumber();

const EXPONENTS: Record<string, number> = { CNY: 2, USD: 2, EUR: 2, JPY: 0 };
export const exponentOf = (currency: string): number => EXPONENTS[currency] ?? 2;

/** "123.45" → 12345 (CNY); undefined when it is not a non-negative amount with at most the currency's decimals. */
export function toMinor(text: string, currency: string): number | undefined {
  if (!/^(0|[1-9]\d*)(\.\d+)?$/.test(text)) return undefined;
  const minor = new Dec(text).times(new Dec(10).pow(exponentOf(currency)));
  return minor.isInteger() ? minor.toNumber() : undefined;
}
export function fromMinor(minor: number, currency: string): string {
  const e = exponentOf(currency);
  const digits = Math.abs(minor).toString().padStart(e + 1, '0');
  const sign = minor < 0 ? '-' : '';
  return e === 0 ? sign + digits : `${sign}${digits.slice(0, -e)}.${digits.slice(-e)}`;
}

/** One period's interest: round(balance × annual rate / 12), multiplying before dividing. */
export const periodInterest = (balance: number, annualRate: string, rounding: RoundingMode): number =>
  roundMinor(new Dec(balance).times(annualRate).div(12), rounding);

// ───────────────────────────── amortisation ─────────────────────────────

export interface Period {
  readonly principal: number;
  readonly interest: number;
}

/** The method the arithmetic follows: a French loan at 0% is repaid as equal principal. */
const effectiveMethod = (method: RepaymentMethod, annualRate: string): RepaymentMethod =>
  method === 'equal-installment' && new Dec(annualRate).isZero() ? 'equal-principal' : method;

/** The French level payment for `balance` over `n` periods, before the fit check. */
export function levelPayment(balance: number, n: number, annualRate: string, rounding: RoundingMode): number {
  const r = new Dec(annualRate).div(12);
  const exact = new Dec(balance).times(r).div(new Dec(1).minus(r.plus(1).pow(-n)));
  return roundMinor(exact, rounding);
}

function frenchPeriods(balance: number, n: number, payment: number, annualRate: string, rounding: RoundingMode): Period[] {
  const periods: Period[] = [];
  let left = balance;
  for (let k = 1; k <= n; k++) {
    const interest = periodInterest(left, annualRate, rounding);
    const principal = k === n ? left : payment - interest;
    periods.push({ principal, interest });
    left -= principal;
  }
  return periods;
}

/**
 * Repays `balance` over `n` periods by the method (the schedule at disbursement, and the
 * reduce-instalment re-amortisation). Interest on the balance at the start of each period.
 */
export function amortise(balance: number, n: number, method: RepaymentMethod, annualRate: string, rounding: RoundingMode): Period[] {
  if (n <= 0) return [];
  if (balance === 0) return Array.from({ length: n }, () => ({ principal: 0, interest: 0 }));
  switch (effectiveMethod(method, annualRate)) {
    case 'interest-only': {
      const interest = periodInterest(balance, annualRate, rounding);
      return Array.from({ length: n }, (_, k) => ({ principal: k === n - 1 ? balance : 0, interest }));
    }
    case 'equal-principal': {
      let regular = roundMinor(new Dec(balance).div(n), rounding);
      if (regular * (n - 1) > balance) regular = Math.floor(balance / n);
      const periods: Period[] = [];
      let left = balance;
      for (let k = 1; k <= n; k++) {
        const principal = k === n ? left : regular;
        periods.push({ principal, interest: periodInterest(left, annualRate, rounding) });
        left -= principal;
      }
      return periods;
    }
    case 'equal-installment': {
      let payment = levelPayment(balance, n, annualRate, rounding);
      // DESIGN §2 gives the rounded annuity and the last instalment the remainder; the payment is
      // lowered only where it would repay more than the balance before the last period (a negative
      // remainder). Repaying exactly the balance early leaves the last instalment owing nothing.
      for (;;) {
        const periods = frenchPeriods(balance, n, payment, annualRate, rounding);
        let left = balance;
        let fits = true;
        for (let k = 0; k < n - 1; k++) {
          left -= periods[k]!.principal;
          if (left < 0) fits = false;
        }
        if (fits || payment <= 0) return periods;
        payment -= 1;
      }
    }
  }
}

// ───────────────────────────── state ─────────────────────────────

export type Prepayment = 'shorten-term' | 'reduce-instalment';
export type ModelStatus = 'approved' | 'active' | 'paid-off' | 'written-off';

export interface ModelTerms {
  readonly currency: string;
  readonly principal: number;
  readonly annualRate: string;
  readonly termMonths: number;
  readonly method: RepaymentMethod;
  readonly gracePeriodDays: number;
  /** The penalty rate in force (a restructuring may derive it again from its new rate). */
  readonly penaltyRate: string;
  readonly rounding: RoundingMode;
  /** No contract penalty rate at origination: the penalty rate is min(rate × multiplier, cap), derived again on restructuring. */
  readonly penaltyFromPolicy: boolean;
  readonly penaltyMultiplier: string;
  readonly costCap: string;
}

export interface ModelInstalment {
  readonly number: number;
  readonly dueOn: string;
  /** Scheduled principal and interest as they stand (re-amortisations included). */
  principal: number;
  interest: number;
  principalPaid: number;
  interestPaid: number;
  penaltyPaid: number;
  penaltyWaived: number;
  /** Due after the write-off date: its interest is no longer owed (whatever was paid of it stays paid). */
  interestCancelled: boolean;
  /** The penalty rate this instalment accrues at (a restructuring's new instalments may have another). */
  penaltyRate: string;
  /** Overdue interest and penalty of a replaced schedule, not capitalised: owed with the first new instalment. */
  interestCarried: number;
  penaltyCarried: number;
  /** The effective date of the restructuring that took everything unpaid off this instalment: it owes nothing since. */
  movedOn: string | undefined;
  /** Σ over accrued days of the overdue principal at the end of that day (minor units × days), exact. */
  penaltyBaseDays: number;
  accruedThrough: string | undefined;
  /** The last accrued day on which the instalment had overdue principal: penalty was posted through it. */
  penaltyPostedThrough: string | undefined;
  missedOn: string | undefined;
  /** The day a reversal made the instalment owe again after it had been paid: it is not missed before that day. */
  reopenedOn?: string;
  /** Principal outstanding from the end of `on` onwards: the penalty base of each day. */
  baseHistory: { on: string; value: number }[];
}

export interface ModelPayment {
  readonly paymentId: string;
  readonly amount: number;
  readonly receivedOn: string;
  readonly applied: { number: number; penalty: number; interest: number; principal: number }[];
  /** Re-amortisation: new − old scheduled principal and interest per future instalment. */
  readonly reamortised: { number: number; principal: number; interest: number }[];
  readonly prepaid: number;
  /** Interest the current instalment gave up because this payment repaid principal before the end of its period (art. 677). */
  readonly currentInterestCancelled: number;
  /** The instalment whose period the payment fell in (its period had begun, not ended), and the principal it repaid of that one and the later ones. */
  readonly inPeriodOf: { readonly number: number; readonly balanceRepaid: number } | undefined;
  readonly overpayment: number;
  readonly recovery: boolean;
  reversed: boolean;
}

export interface ModelState {
  terms: ModelTerms | undefined;
  status: ModelStatus | undefined;
  disbursedOn: string | undefined;
  instalments: ModelInstalment[];
  payments: Record<string, ModelPayment>;
  paymentOrder: string[];
  overpaymentHeld: number;
  paidOffOn: string | undefined;
  writtenOffOn: string | undefined;
  closedThrough: string | undefined;
  refundIds: string[];
  waiverIds: string[];
  restructurings: { id: string; effectiveOn: string }[];
  /** Index of the first instalment of the schedule in force (the latest restructuring's, else 0). */
  scheduleStart: number;
  /** The day the schedule in force runs from (disbursement, or a restructuring's date plus its holiday): its first period begins then. */
  scheduleFrom: string | undefined;
}

export const initialModel = (): ModelState => ({
  terms: undefined,
  status: undefined,
  disbursedOn: undefined,
  instalments: [],
  payments: {},
  paymentOrder: [],
  overpaymentHeld: 0,
  paidOffOn: undefined,
  writtenOffOn: undefined,
  closedThrough: undefined,
  refundIds: [],
  waiverIds: [],
  restructurings: [],
  scheduleStart: 0,
  scheduleFrom: undefined,
});

const clone = (state: ModelState): ModelState => structuredClone(state);

export const principalOut = (i: ModelInstalment): number => (i.movedOn !== undefined ? 0 : i.principal - i.principalPaid);
/** Interest carried from a replaced schedule fell due before any write-off: a write-off cancels only the scheduled interest. */
export const interestOut = (i: ModelInstalment): number =>
  i.movedOn !== undefined ? 0 : i.interestCancelled ? Math.max(0, i.interestCarried - i.interestPaid) : i.interestCarried + i.interest - i.interestPaid;
export const penaltyPosted = (i: ModelInstalment, terms: ModelTerms): number =>
  roundMinor(new Dec(i.penaltyBaseDays).times(i.penaltyRate).div(360), terms.rounding);
export const penaltyOut = (i: ModelInstalment, terms: ModelTerms): number =>
  i.movedOn !== undefined ? 0 : penaltyPosted(i, terms) + i.penaltyCarried - i.penaltyPaid - i.penaltyWaived;
const owedOn = (i: ModelInstalment, terms: ModelTerms): number => principalOut(i) + interestOut(i) + penaltyOut(i, terms);
export const totalOwed = (state: ModelState): number => state.instalments.reduce((s, i) => s + owedOn(i, state.terms!), 0);

/** Records the instalment's principal outstanding from the end of `on`: the penalty base from that day. */
function markBase(i: ModelInstalment, on: string): void {
  const value = principalOut(i);
  const last = i.baseHistory[i.baseHistory.length - 1];
  if (last && last.on === on) last.value = value;
  else if (!last || last.value !== value) i.baseHistory.push({ on, value });
}

/** Σ over days from..to (inclusive) of the penalty base of each day. */
function baseDays(i: ModelInstalment, from: string, to: string): number {
  let sum = 0;
  const h = i.baseHistory;
  for (let k = 0; k < h.length; k++) {
    const start = maxDate(from, h[k]!.on);
    const nextOn = h[k + 1]?.on;
    const end = nextOn === undefined ? to : nextOn <= to ? plusDays(nextOn, -1) : to;
    if (start > end) continue;
    sum += h[k]!.value * (daysFrom(start, end) + 1);
  }
  return sum;
}

/** The last day in from..to (inclusive) with a positive penalty base, if any. */
function lastOverdueDay(i: ModelInstalment, from: string, to: string): string | undefined {
  const h = i.baseHistory;
  for (let k = h.length - 1; k >= 0; k--) {
    if (h[k]!.value <= 0 || h[k]!.on > to) continue;
    const nextOn = h[k + 1]?.on;
    const end = nextOn === undefined || nextOn > to ? to : plusDays(nextOn, -1);
    if (end >= from && end >= h[k]!.on) return end;
    if (end < from) return undefined;
  }
  return undefined;
}

// ───────────────────────────── commands ─────────────────────────────

/** The command shapes the model reads (the engine's command objects fit them; extra fields are ignored). */
export type ModelCommand =
  | {
      readonly kind: 'originate';
      readonly currency: string;
      readonly principal: string;
      readonly annualInterestRate: string;
      readonly termMonths: number;
      readonly repaymentMethod: RepaymentMethod;
      readonly originatedOn: string;
      readonly gracePeriodDays?: number;
      readonly penaltyAnnualRate?: string;
      readonly policy: LendingPolicy;
    }
  | { readonly kind: 'disburse'; readonly disbursedOn: string }
  | { readonly kind: 'receive-payment'; readonly paymentId: string; readonly amount: string; readonly receivedOn: string; readonly prepayment?: Prepayment }
  | { readonly kind: 'reverse-payment'; readonly paymentId: string; readonly reversedOn: string }
  | { readonly kind: 'close-business-day'; readonly businessDate: string }
  | { readonly kind: 'write-off'; readonly writeOffId: string; readonly writtenOffOn: string }
  | { readonly kind: 'waive-penalty'; readonly waiverId: string; readonly waivedOn: string; readonly amount: string | 'all' }
  | { readonly kind: 'refund-overpayment'; readonly refundId: string; readonly amount: string; readonly refundedOn: string }
  | {
      readonly kind: 'restructure';
      readonly restructuringId: string;
      readonly effectiveOn: string;
      readonly termMonths?: number;
      readonly annualInterestRate?: string;
      readonly paymentHolidayMonths?: number;
      readonly capitalise: boolean;
    };

export type ModelResult = { readonly ok: true; readonly state: ModelState } | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): ModelResult => ({ ok: false, reason });

export function modelDecide(state: ModelState, command: ModelCommand): ModelResult {
  switch (command.kind) {
    case 'originate':
      return originate(state, command);
    case 'disburse':
      return disburse(state, command.disbursedOn);
    case 'receive-payment':
      return receivePayment(state, command);
    case 'reverse-payment':
      return reversePayment(state, command.paymentId, command.reversedOn);
    case 'close-business-day': {
      if (state.status === undefined || state.status === 'approved') return refuse('not disbursed');
      if (state.closedThrough !== undefined && command.businessDate < state.closedThrough) return refuse('date before last close');
      const next = clone(state);
      closeBusinessDay(next, command.businessDate);
      return { ok: true, state: next };
    }
    case 'write-off':
      return writeOff(state, command.writtenOffOn);
    case 'waive-penalty':
      return waivePenalty(state, command);
    case 'restructure':
      return restructure(state, command);
    case 'refund-overpayment': {
      if (state.status === undefined || state.status === 'approved') return refuse('not disbursed');
      const amount = toMinor(command.amount, state.terms!.currency);
      if (amount === undefined || amount <= 0) return refuse('invalid amount');
      if (state.refundIds.includes(command.refundId)) return refuse('refund id already used');
      if (amount > state.overpaymentHeld) return refuse('refund exceeds overpayment held');
      const next = clone(state);
      next.overpaymentHeld -= amount;
      next.refundIds.push(command.refundId);
      return { ok: true, state: next };
    }
  }
}

function originate(state: ModelState, c: Extract<ModelCommand, { kind: 'originate' }>): ModelResult {
  if (state.terms !== undefined) return refuse('already originated');
  const principal = toMinor(c.principal, c.currency);
  if (principal === undefined || principal <= 0) return refuse('invalid principal');
  const cap = c.policy.costCapAnnualRate;
  if (new Dec(c.annualInterestRate).greaterThan(cap)) return refuse('rate above cap');
  const multiplier = c.policy.penaltyRateMultiplier ?? '1.5';
  const penaltyRate =
    c.penaltyAnnualRate ?? Dec.min(new Dec(c.annualInterestRate).times(multiplier), new Dec(cap)).toString();
  if (new Dec(penaltyRate).greaterThan(cap)) return refuse('penalty rate above cap');
  const next = clone(state);
  next.terms = {
    currency: c.currency,
    principal,
    annualRate: c.annualInterestRate,
    termMonths: c.termMonths,
    method: c.repaymentMethod,
    gracePeriodDays: c.gracePeriodDays ?? c.policy.defaultGracePeriodDays,
    penaltyRate,
    rounding: c.policy.rounding ?? 'half-up',
    penaltyFromPolicy: c.penaltyAnnualRate === undefined,
    penaltyMultiplier: multiplier,
    costCap: cap,
  };
  next.status = 'approved';
  return { ok: true, state: next };
}

/** The schedule at disbursement: due date k = disbursement + k months (clamped), counted from the disbursement date. */
export function scheduleOf(terms: ModelTerms, disbursedOn: string): { number: number; dueOn: string; principal: number; interest: number }[] {
  return amortise(terms.principal, terms.termMonths, terms.method, terms.annualRate, terms.rounding).map((p, k) => ({
    number: k + 1,
    dueOn: plusMonths(disbursedOn, k + 1),
    ...p,
  }));
}

function disburse(state: ModelState, on: string): ModelResult {
  if (state.status !== 'approved') return refuse('not approved');
  const next = clone(state);
  next.disbursedOn = on;
  next.scheduleFrom = on;
  next.status = 'active';
  next.instalments = scheduleOf(next.terms!, on).map((s) => newInstalment(s, on, next.terms!.penaltyRate));
  return { ok: true, state: next };
}

const newInstalment = (s: { number: number; dueOn: string; principal: number; interest: number }, on: string, penaltyRate: string): ModelInstalment => ({
  ...s,
  principalPaid: 0,
  interestPaid: 0,
  penaltyPaid: 0,
  penaltyWaived: 0,
  interestCancelled: false,
  penaltyRate,
  interestCarried: 0,
  penaltyCarried: 0,
  movedOn: undefined,
  penaltyBaseDays: 0,
  accruedThrough: undefined,
  penaltyPostedThrough: undefined,
  missedOn: undefined,
  baseHistory: [{ on, value: s.principal }],
});

/** How many instalments (oldest first, old schedules included) a payment on `on` settles: those of the schedule in force it settles. */
const settledIn = (state: ModelState, on: string): number =>
  state.scheduleStart + settledCount(state.instalments.slice(state.scheduleStart), on);

/**
 * Close of business for `date` (in place): misses, then penalty through `date` on missed
 * instalments, from the day after the due date, on each day's end-of-day overdue principal.
 * Idempotent; a run for D equals daily runs through D. Nothing once paid off or written off.
 */
function closeBusinessDay(state: ModelState, date: string): void {
  const terms = state.terms!;
  if (state.status !== 'active') {
    state.closedThrough = maxDate(state.closedThrough, date);
    return;
  }
  for (const i of state.instalments) {
    const missedOn = maxDate(i.reopenedOn, plusDays(i.dueOn, terms.gracePeriodDays));
    if (i.missedOn === undefined && principalOut(i) + interestOut(i) > 0 && missedOn <= date) i.missedOn = missedOn;
  }
  for (const i of state.instalments) {
    if (i.missedOn === undefined) continue;
    const from = i.accruedThrough === undefined ? plusDays(i.dueOn, 1) : plusDays(i.accruedThrough, 1);
    if (from > date) continue;
    i.penaltyBaseDays += baseDays(i, from, date);
    i.accruedThrough = date;
    const posted = lastOverdueDay(i, from, date);
    if (posted !== undefined) i.penaltyPostedThrough = posted;
  }
  state.closedThrough = maxDate(state.closedThrough, date);
}

/** How many instalments (oldest first) a payment on `on` settles; the rest are "future". */
export function settledCount(instalments: readonly { dueOn: string }[], on: string): number {
  const c = instalments.findIndex((i) => i.dueOn > on);
  if (c === -1) return instalments.length;
  if (c > 0 && instalments[c - 1]!.dueOn === on) return c;
  return c + 1;
}

/**
 * The current period on `on` (the owner's ruling on art. 677 for a period that has begun):
 * the instalment of the schedule in force whose period runs from S (the previous
 * instalment's due date, or the day the schedule runs from for its first) to its due date D,
 * with S <= on < D. On a due date the next period has not begun: that instalment is a future
 * one (re-amortised as a whole). P is the days from S to D, d the days from S to `on` (none
 * before S, inside a payment holiday), B the principal outstanding on it and the later
 * instalments, I the interest it is scheduled to charge for the period as it stands (interest
 * carried from a replaced schedule is not period interest: it fell due before). None when
 * nothing is borrowed on those any more (B = 0).
 *
 * The period's interest is earned day by day on what is borrowed that day: I0 was scheduled
 * on B0, the balance when the period began, so each day costs I0 / P × (balance that day /
 * B0). The balance that day is B0 less what the payments standing (not reversed) received in
 * the period up to that day repaid of it; I0 and B0 are I and B with what those payments gave
 * up and repaid added back. `borrowed` is Σ over the days so far of the balance that day.
 */
interface CurrentPeriod {
  readonly k: number;
  readonly instalment: ModelInstalment;
  readonly I: number;
  readonly I0: number;
  readonly B0: number;
  readonly P: number;
  readonly d: number;
  readonly B: number;
  readonly borrowed: number;
}

function currentPeriod(state: ModelState, on: string): CurrentPeriod | undefined {
  const k = settledIn(state, on) - 1;
  if (k < state.scheduleStart) return undefined;
  const instalment = state.instalments[k]!;
  if (on >= instalment.dueOn) return undefined;
  const S = k === state.scheduleStart ? state.scheduleFrom! : state.instalments[k - 1]!.dueOn;
  const P = daysFrom(S, instalment.dueOn);
  const d = Math.min(P, Math.max(0, daysFrom(S, on)));
  let B = 0;
  for (const i of state.instalments.slice(k)) B += principalOut(i);
  if (B === 0 || P <= 0) return undefined;
  const earlier = state.paymentOrder
    .map((id) => state.payments[id]!)
    .filter((p) => !p.reversed && p.inPeriodOf?.number === instalment.number && p.receivedOn > S && p.receivedOn <= on);
  const I0 = instalment.interest + earlier.reduce((sum, p) => sum + p.currentInterestCancelled, 0);
  const B0 = B + earlier.reduce((sum, p) => sum + p.inPeriodOf!.balanceRepaid, 0);
  let borrowed = 0;
  for (let day = 0; day < d; day++) {
    const dayOn = plusDays(S, day);
    borrowed += B0 - earlier.filter((p) => p.receivedOn <= dayOn).reduce((sum, p) => sum + p.inPeriodOf!.balanceRepaid, 0);
  }
  return { k, instalment, I: instalment.interest, I0, B0, P, d, B, borrowed };
}

/** round(I0 × borrowed / (B0 × P)): the period's interest for the days borrowed so far, at each day's balance. */
const interestSoFar = (c: CurrentPeriod, rounding: RoundingMode): number => roundMinor(new Dec(c.I0).times(c.borrowed).div(new Dec(c.B0).times(c.P)), rounding);

/** What a payment on the current instalment may take as interest now: the carried interest and the interest so far, less what is paid. */
const currentInterestNow = (c: CurrentPeriod, rounding: RoundingMode): number =>
  Math.max(0, c.instalment.interestCarried + interestSoFar(c, rounding) - c.instalment.interestPaid);

/**
 * The current instalment's period interest once a payment left B' borrowed: the interest so
 * far plus round(I0 × B'/B0 × (P − d)/P) for the rest of the period on what remains. Not in
 * the ruling, and needed for it to make sense: never more than I (two parts each rounded up
 * could exceed it by a unit) and never less than what has been paid of the period's interest
 * (interest paid is not given back).
 */
function currentInterestAfter(c: CurrentPeriod, balanceAfter: number, rounding: RoundingMode): number {
  const rest = roundMinor(new Dec(c.I0).times(balanceAfter).times(c.P - c.d).div(new Dec(c.B0).times(c.P)), rounding);
  const paidOfPeriod = c.instalment.interestPaid - c.instalment.interestCarried;
  return Math.max(Math.min(c.I, interestSoFar(c, rounding) + rest), paidOfPeriod);
}

/** New (principal, interest) for the future instalments after a prepayment left `balance` of their principal. */
export function reamortise(
  future: readonly Period[],
  balance: number,
  option: Prepayment,
  terms: ModelTerms,
): Period[] {
  const n = future.length;
  const { annualRate, rounding } = terms;
  const method = effectiveMethod(terms.method, annualRate);
  if (balance === 0) return future.map(() => ({ principal: 0, interest: 0 }));
  if (method === 'interest-only' || option === 'reduce-instalment') {
    // The term in force: future instalments that owed nothing before (emptied by an earlier shorten-term) stay empty.
    let inForce = n;
    while (inForce > 1 && future[inForce - 1]!.principal + future[inForce - 1]!.interest === 0) inForce--;
    return [...amortise(balance, inForce, method, annualRate, rounding), ...future.slice(inForce).map(() => ({ principal: 0, interest: 0 }))];
  }
  const out: Period[] = [];
  let left = balance;
  if (method === 'equal-principal') {
    for (const old of future) {
      if (left === 0) {
        out.push({ principal: 0, interest: 0 });
        continue;
      }
      const interest = periodInterest(left, annualRate, rounding);
      const principal = Math.min(old.principal, left);
      out.push({ principal, interest });
      left -= principal;
    }
    return out;
  }
  // equal-installment, shorten-term: keep the level payment L of the first future instalment.
  const level = future[0]!.principal + future[0]!.interest;
  future.forEach((_, k) => {
    if (left === 0) {
      out.push({ principal: 0, interest: 0 });
      return;
    }
    const interest = periodInterest(left, annualRate, rounding);
    // Not in the brief: the last future instalment takes what is left (as every schedule's last does).
    const principal = k === n - 1 ? left : Math.min(left, Math.max(0, level - interest));
    out.push({ principal, interest });
    left -= principal;
  });
  return out;
}

function receivePayment(state: ModelState, c: Extract<ModelCommand, { kind: 'receive-payment' }>): ModelResult {
  if (state.status === undefined || state.status === 'approved') return refuse('not disbursed');
  if (state.payments[c.paymentId] !== undefined) return refuse('duplicate payment id');
  const terms = state.terms!;
  const amount = toMinor(c.amount, terms.currency);
  if (amount === undefined || amount <= 0) return refuse('invalid amount');
  const on = c.receivedOn;
  if (on < state.disbursedOn!) return refuse('before disbursement');
  const next = clone(state);
  const applied: ModelPayment['applied'] = [];
  const reamortised: ModelPayment['reamortised'] = [];
  let left = amount;
  let prepaid = 0;
  let currentInterestCancelled = 0;
  let periodBalanceBefore: { number: number; k: number; B: number } | undefined;

  /** `interestNow`: the most of its interest the instalment takes now (the current instalment's). */
  const payInstalment = (i: ModelInstalment, interestNow?: number) => {
    const penalty = Math.min(left, Math.max(0, penaltyOut(i, terms)));
    left -= penalty;
    const interest = Math.min(left, Math.max(0, interestOut(i)), interestNow ?? Infinity);
    left -= interest;
    const principal = Math.min(left, Math.max(0, principalOut(i)));
    left -= principal;
    if (penalty + interest + principal === 0) return;
    i.penaltyPaid += penalty;
    i.interestPaid += interest;
    i.principalPaid += principal;
    applied.push({ number: i.number, penalty, interest, principal });
    markBase(i, on);
  };

  if (state.status === 'paid-off') {
    // Wholly held as overpayment.
  } else if (state.status === 'written-off') {
    // Recovery: oldest first, penalty → interest → principal; no accrual.
    for (const i of next.instalments) if (left > 0) payInstalment(i);
  } else {
    closeBusinessDay(next, plusDays(on, -1));
    const settled = settledIn(next, on);
    // Refined ruling (issue 20 review): a borrower who pays no more than what has fallen due
    // and the coming instalment as scheduled pays that instalment, full interest, and owes
    // nothing more on it; only money beyond it (prepaying later principal), or enough to pay
    // the loan off, makes the current period's interest the days borrowed (art. 677).
    const asScheduled = next.instalments.slice(0, settled).reduce((s, i) => s + owedOn(i, terms), 0);
    const period = currentPeriod(next, on);
    periodBalanceBefore = period && { number: period.instalment.number, k: period.k, B: period.B };
    const current = period && (amount > asScheduled || amount >= modelPayoffQuote(next, on)) ? period : undefined;
    for (const i of next.instalments.slice(0, settled)) {
      if (left > 0) payInstalment(i, i === current?.instalment ? currentInterestNow(current, terms.rounding) : undefined);
    }
    const future = next.instalments.slice(settled);
    const before = future.reduce((s, i) => s + principalOut(i), 0);
    prepaid = Math.min(left, before);
    left -= prepaid;
    if (prepaid > 0) {
      const olds = future.map((i) => ({ principal: principalOut(i), interest: interestOut(i) }));
      const news = reamortise(olds, before - prepaid, c.prepayment ?? 'shorten-term', terms);
      future.forEach((i, k) => {
        const dp = news[k]!.principal - olds[k]!.principal;
        const di = news[k]!.interest - olds[k]!.interest;
        if (dp === 0 && di === 0) return;
        i.principal += dp;
        i.interest += di;
        reamortised.push({ number: i.number, principal: dp, interest: di });
        markBase(i, on);
      });
    }
    if (current) {
      // Principal repaid before its due date: the current instalment's own, and the future ones'.
      const ownPrincipal = applied.find((a) => a.number === current.instalment.number)?.principal ?? 0;
      const balanceAfter = current.B - ownPrincipal - prepaid;
      if (balanceAfter < current.B) {
        currentInterestCancelled = current.I - currentInterestAfter(current, balanceAfter, terms.rounding);
        if (currentInterestCancelled > 0) {
          current.instalment.interest -= currentInterestCancelled;
          reamortised.push({ number: current.instalment.number, principal: 0, interest: -currentInterestCancelled });
        }
      }
    }
  }
  next.overpaymentHeld += left;
  next.payments[c.paymentId] = {
    paymentId: c.paymentId,
    amount,
    receivedOn: on,
    applied,
    reamortised,
    prepaid,
    currentInterestCancelled,
    inPeriodOf: periodBalanceBefore && {
      number: periodBalanceBefore.number,
      balanceRepaid: periodBalanceBefore.B - next.instalments.slice(periodBalanceBefore.k).reduce((sum, i) => sum + principalOut(i), 0),
    },
    overpayment: left,
    recovery: state.status === 'written-off',
    reversed: false,
  };
  next.paymentOrder.push(c.paymentId);
  if (next.status === 'active' && totalOwed(next) === 0) {
    next.status = 'paid-off';
    next.paidOffOn = on;
  }
  return { ok: true, state: next };
}

function reversePayment(state: ModelState, paymentId: string, on: string): ModelResult {
  const payment = state.payments[paymentId];
  if (payment === undefined) return refuse('unknown payment');
  if (payment.reversed) return refuse('already reversed');
  if (on < payment.receivedOn) return refuse('reversal before the payment');
  if (state.overpaymentHeld < payment.overpayment) return refuse('overpayment already refunded');
  if (state.restructurings.some((r) => payment.receivedOn <= r.effectiveOn)) return refuse('payment received on or before a restructuring');
  // A payment that prepaid principal (and re-amortised the later instalments), or lowered the
  // current instalment's interest, is reversed only once every payment recorded after it has been reversed.
  if (payment.prepaid > 0 || payment.currentInterestCancelled > 0) {
    const later = state.paymentOrder.slice(state.paymentOrder.indexOf(paymentId) + 1);
    if (later.some((id) => !state.payments[id]!.reversed)) return refuse('a later payment stands on this prepayment');
  }
  // Like every dated decision, a reversal starts from the closes through the day before.
  const next = caughtUp(state, on);
  const byNumber = new Map(next.instalments.map((i) => [i.number, i]));
  for (const a of payment.applied) {
    const i = byNumber.get(a.number)!;
    if (principalOut(i) + interestOut(i) === 0 && a.principal + a.interest > 0) i.reopenedOn = on;
    i.penaltyPaid -= a.penalty;
    i.interestPaid -= a.interest;
    i.principalPaid -= a.principal;
    markBase(i, on);
  }
  for (const r of payment.reamortised) {
    const i = byNumber.get(r.number)!;
    i.principal -= r.principal;
    i.interest -= r.interest;
    markBase(i, on);
  }
  next.overpaymentHeld -= payment.overpayment;
  next.payments[paymentId]!.reversed = true;
  if (next.status === 'paid-off' && totalOwed(next) > 0) {
    next.status = 'active';
    next.paidOffOn = undefined;
  }
  return { ok: true, state: next };
}

function writeOff(state: ModelState, on: string): ModelResult {
  if (state.status === 'written-off') return refuse('already written off');
  if (state.status !== 'active') return refuse('not an active loan');
  const next = clone(state);
  // The close of business of the write-off date itself (misses, penalty through it), then
  // accrual stops for good; the interest of every instalment due after it is cancelled.
  closeBusinessDay(next, on);
  for (const i of next.instalments) if (i.dueOn > on) i.interestCancelled = true;
  next.status = 'written-off';
  next.writtenOffOn = on;
  return { ok: true, state: next };
}

/**
 * Penalty waiver on `waivedOn`: refused before disbursement, before the latest payment, or
 * before the last day penalty was already posted through (that day itself is fine). Close of
 * business through waivedOn − 1 first, then penalty waived oldest instalment first: `'all'`
 * everything outstanding, an amount never more than outstanding; nothing outstanding is refused.
 */
function waivePenalty(state: ModelState, c: Extract<ModelCommand, { kind: 'waive-penalty' }>): ModelResult {
  if (state.status === undefined || state.status === 'approved') return refuse('not disbursed');
  if (state.waiverIds.includes(c.waiverId)) return refuse('waiver id already used');
  const terms = state.terms!;
  const on = c.waivedOn;
  if (on < state.disbursedOn!) return refuse('waiver before disbursement');
  const latestPayment = state.paymentOrder.reduce<string | undefined>((d, id) => maxDate(d, state.payments[id]!.receivedOn), undefined);
  if (latestPayment !== undefined && on < latestPayment) return refuse('waiver before the latest payment');
  // Penalty is posted through a day on an instalment only if it had overdue principal that day
  // (a close over days on which it owed no principal posts nothing on it).
  const postedThrough = state.instalments.reduce<string | undefined>((d, i) => (i.penaltyPostedThrough === undefined ? d : maxDate(d, i.penaltyPostedThrough)), undefined);
  if (postedThrough !== undefined && on < postedThrough) return refuse('waiver before penalty already posted');
  let amount: number | undefined;
  if (c.amount !== 'all') {
    amount = toMinor(c.amount, terms.currency);
    if (amount === undefined || amount <= 0) return refuse('invalid amount');
  }
  const next = clone(state);
  if (next.status === 'active') closeBusinessDay(next, plusDays(on, -1));
  const outstanding = next.instalments.reduce((s, i) => s + Math.max(0, penaltyOut(i, terms)), 0);
  if (outstanding === 0) return refuse('no penalty outstanding');
  if (amount !== undefined && amount > outstanding) return refuse('waiver exceeds penalty outstanding');
  let left = amount ?? outstanding;
  for (const i of next.instalments) {
    const take = Math.min(left, Math.max(0, penaltyOut(i, terms)));
    i.penaltyWaived += take;
    left -= take;
  }
  next.waiverIds.push(c.waiverId);
  return { ok: true, state: next };
}

/**
 * Restructuring effective at the start of `effectiveOn`: refused before disbursement, once paid
 * off or written off, for an id already used, with none of term, rate and holiday, a rate above
 * the cap, a date before disbursement or the latest payment or on/before the last day penalty
 * was already posted through (the restructuring takes effect at the start of its day, before
 * that day's penalty), or with no principal unpaid. Close of business through effectiveOn − 1,
 * then everything unpaid leaves the old instalments; a new schedule (numbered on, same method,
 * the new rate or the rate in force, termMonths or as many months as old instalments with
 * unpaid principal fall due after effectiveOn, at least 1) repays the unpaid principal, plus
 * the overdue interest (old instalments due on or before effectiveOn) and all penalty when
 * capitalised; otherwise those stay due with the first new instalment. Old interest not yet due
 * is forgone. The schedule is built as if disbursed effectiveOn + holiday months.
 */
function restructure(state: ModelState, c: Extract<ModelCommand, { kind: 'restructure' }>): ModelResult {
  if (state.status === undefined || state.status === 'approved') return refuse('not disbursed');
  if (state.status !== 'active') return refuse(`loan ${state.status}`);
  if (state.restructurings.some((r) => r.id === c.restructuringId)) return refuse('restructuring id already used');
  if (c.termMonths === undefined && c.annualInterestRate === undefined && c.paymentHolidayMonths === undefined) return refuse('no new terms');
  const terms = state.terms!;
  if (c.annualInterestRate !== undefined && new Dec(c.annualInterestRate).greaterThan(terms.costCap)) return refuse('rate above cap');
  const on = c.effectiveOn;
  if (on < state.disbursedOn!) return refuse('restructuring before disbursement');
  const latestPayment = state.paymentOrder.reduce<string | undefined>((d, id) => maxDate(d, state.payments[id]!.receivedOn), undefined);
  if (latestPayment !== undefined && on < latestPayment) return refuse('restructuring before the latest payment');
  const postedThrough = state.instalments.reduce<string | undefined>((d, i) => (i.penaltyPostedThrough === undefined ? d : maxDate(d, i.penaltyPostedThrough)), undefined);
  if (postedThrough !== undefined && on <= postedThrough) return refuse('restructuring on or before penalty already posted');
  const next = clone(state);
  closeBusinessDay(next, plusDays(on, -1));
  // (A policy write-off by that close — the us policy — is not modelled: the harness never uses it.)
  const old = next.instalments;
  const principal = old.reduce((s, i) => s + principalOut(i), 0);
  if (principal === 0) return refuse('no principal unpaid');
  const overdueInterest = old.reduce((s, i) => s + (i.dueOn <= on ? interestOut(i) : 0), 0);
  const penalty = old.reduce((s, i) => s + penaltyOut(i, terms), 0);
  const monthsLeft = old.filter((i) => i.dueOn > on && principalOut(i) > 0).length;
  for (const i of old) {
    if (i.movedOn !== undefined) continue;
    i.movedOn = on;
    markBase(i, on);
  }
  const rate = c.annualInterestRate ?? terms.annualRate;
  const penaltyRate = terms.penaltyFromPolicy ? Dec.min(new Dec(rate).times(terms.penaltyMultiplier), new Dec(terms.costCap)).toString() : terms.penaltyRate;
  next.terms = { ...terms, annualRate: rate, penaltyRate };
  const n = c.termMonths ?? Math.max(1, monthsLeft);
  const start = plusMonths(on, c.paymentHolidayMonths ?? 0);
  const base = principal + (c.capitalise ? overdueInterest + penalty : 0);
  const lastNumber = old[old.length - 1]!.number;
  const fresh = amortise(base, n, terms.method, rate, terms.rounding).map((p, k) =>
    newInstalment({ number: lastNumber + k + 1, dueOn: plusMonths(start, k + 1), ...p }, on, penaltyRate),
  );
  if (!c.capitalise) {
    fresh[0]!.interestCarried = overdueInterest;
    fresh[0]!.penaltyCarried = penalty;
  }
  next.scheduleStart = old.length;
  next.scheduleFrom = start;
  next.instalments = [...old, ...fresh];
  next.restructurings.push({ id: c.restructuringId, effectiveOn: on });
  return { ok: true, state: next };
}

// ───────────────────────────── queries ─────────────────────────────

/** The loan as a payment on `on` would find it: close of business caught up through the day before. */
export function caughtUp(state: ModelState, on: string): ModelState {
  const next = clone(state);
  if (next.status === 'active') closeBusinessDay(next, plusDays(on, -1));
  return next;
}

/**
 * What a payment on `on` must be to leave nothing outstanding and no new overpayment:
 * penalty through on−1, everything outstanding on the instalments fallen due, the current
 * instalment's penalty, principal and interest for the days borrowed (round(I × d/P), with
 * what was carried onto it, less what is paid), and the principal of the future ones. 0 once
 * paid off; for a written-off loan everything outstanding.
 */
export function modelPayoffQuote(state: ModelState, on: string): number {
  if (state.status === 'paid-off') return 0;
  const s = caughtUp(state, on);
  const terms = s.terms!;
  if (s.status === 'written-off') return totalOwed(s);
  const settled = settledIn(s, on);
  const current = currentPeriod(s, on);
  return s.instalments.reduce((sum, i, k) => {
    if (k === current?.k) return sum + penaltyOut(i, terms) + principalOut(i) + currentInterestNow(current, terms.rounding);
    return sum + (k < settled ? owedOn(i, terms) : principalOut(i));
  }, 0);
}

/** Days past due on `on`: from the oldest instalment with unpaid principal or interest; 0 when paid off; counts on after write-off. */
export function modelDaysPastDue(state: ModelState, on: string): number {
  if (state.disbursedOn === undefined || on < state.disbursedOn || state.status === 'paid-off') return 0;
  const oldest = state.instalments.find((i) => principalOut(i) + interestOut(i) > 0);
  return oldest === undefined ? 0 : Math.max(0, daysFrom(oldest.dueOn, on));
}

export interface BalanceView {
  readonly instalments: readonly { number: number; dueOn: string; principal: number; interest: number; penalty: number }[];
  readonly overpaymentHeld: number;
  readonly status: string | undefined;
}

export function modelBalances(state: ModelState): BalanceView {
  const terms = state.terms;
  return {
    instalments: state.instalments.map((i) => ({
      number: i.number,
      dueOn: i.dueOn,
      principal: principalOut(i),
      interest: interestOut(i),
      penalty: terms ? penaltyOut(i, terms) : 0,
    })),
    overpaymentHeld: state.overpaymentHeld,
    status: state.status,
  };
}
