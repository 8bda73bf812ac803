import { type BusinessDate, addDays, daysBetween } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import { type AnnualRate, type RoundingMode, roundQuotient } from '../../kernel/money/rate.js';
import type { InstalmentPenalty, PenaltyAccruedData, PenaltySegment } from './loan-events.js';
import type { InstalmentState } from './loan-state.js';

const DAY_COUNT_BASIS = 360;
/** Rates have at most 10 decimals (see isRate): scaled by 10^10 they are integers. */
const RATE_SCALE_DIGITS = 10;

/**
 * Σ base × days × annual rate, scaled by 10^10 so that it is an exact integer: folding a
 * loan adds it up with BigInt, and only posting an amount divides (by 360) and rounds.
 */
export function penaltyNumeratorOf(segments: readonly PenaltySegment[], annualRate: AnnualRate): bigint {
  return segments.reduce((sum, s) => sum + BigInt(s.base) * BigInt(s.days), 0n) * scaledRateOf(annualRate);
}

/**
 * Rates scaled, by their text: a portfolio has a few penalty rates, and folding its log
 * scaled one per penalty accrual (7% of folding bench:replay's log into overdue status).
 * Cleared when full: any text isRate allows is a rate.
 */
const scaledRates = new Map<AnnualRate, bigint>();
const MAX_SCALED_RATES = 1_000;

function scaledRateOf(annualRate: AnnualRate): bigint {
  let scaled = scaledRates.get(annualRate);
  if (scaled === undefined) {
    const [whole, fraction = ''] = annualRate.split('.');
    scaled = BigInt(whole! + fraction.padEnd(RATE_SCALE_DIGITS, '0'));
    if (scaledRates.size >= MAX_SCALED_RATES) scaledRates.clear();
    scaledRates.set(annualRate, scaled);
  }
  return scaled;
}

/**
 * Penalty interest from the day after each missed instalment's due date (or after its last
 * accrual) through `through`, on the overdue principal of each day (DESIGN.md §3: annual
 * penalty rate / 360 × overdue principal; nothing on unpaid interest or on penalty).
 *
 * Each instalment's penalty is rounded on its running total: posting
 * round(total after / 360) − round(total before / 360) makes any split of the days into
 * runs post exactly what one run would, so a catch-up equals the daily runs it replaces.
 */
export function accruePenalty(
  instalments: readonly InstalmentState[],
  through: BusinessDate,
  annualRate: AnnualRate,
  rounding: RoundingMode,
): PenaltyAccruedData | undefined {
  const accrued: InstalmentPenalty[] = [];
  let from: BusinessDate | undefined;
  for (const instalment of instalments) {
    if (instalment.missedOn === undefined) continue;
    const start = addDays(instalment.penaltyAccruedThrough ?? instalment.dueOn, 1);
    if (start > through) continue;
    const segments = baseSegments(instalment, start, through).filter((s) => s.base > 0);
    if (segments.length === 0) continue;
    const before = BigInt(instalment.penaltyNumerator);
    const amount = postedPenalty(before + penaltyNumeratorOf(segments, annualRate), rounding) - postedPenalty(before, rounding);
    accrued.push({ number: instalment.number, segments, amount });
    if (from === undefined || start < from) from = start;
  }
  if (accrued.length === 0) return undefined;
  return { from: from!, to: through, annualRate, amount: accrued.reduce((sum, p) => sum + p.amount, 0), instalments: accrued };
}

/** The penalty posted for a running total: round(numerator / 360 / 10^10). */
export function postedPenalty(numerator: bigint, rounding: RoundingMode): MinorUnits {
  return Number(roundQuotient(numerator, POSTING_DIVISOR, rounding));
}

const POSTING_DIVISOR = BigInt(DAY_COUNT_BASIS) * 10n ** BigInt(RATE_SCALE_DIGITS);

/**
 * The running total an instalment's penalty would have from the day after its due date
 * through `through`, on the overdue principal of each day: what every accrual up to that
 * day adds up to, however the days were split into runs.
 */
export function penaltyNumeratorThrough(instalment: InstalmentState, through: BusinessDate, annualRate: AnnualRate): bigint {
  const start = addDays(instalment.dueOn, 1);
  if (start > through) return 0n;
  return penaltyNumeratorOf(baseSegments(instalment, start, through).filter((s) => s.base > 0), annualRate);
}

/**
 * penaltyNumeratorThrough for every day from `from` to `through`, in one pass (element k is
 * the running total through `from` + k days): each day adds its own overdue principal, so a
 * year of days costs a year of additions rather than a year of re-computations.
 */
export function penaltyNumeratorsByDay(instalment: InstalmentState, from: BusinessDate, through: BusinessDate, annualRate: AnnualRate): bigint[] {
  const scaledRate = scaledRateOf(annualRate);
  const span = daysBetween(from, through);
  // Day k's change of the overdue principal, and the first day that bears penalty, as offsets from `from`.
  const movedOn = new Map<number, MinorUnits>();
  for (const m of instalment.principalMovements) {
    const k = daysBetween(from, m.on);
    if (k > 0 && k <= span) movedOn.set(k, (movedOn.get(k) ?? 0) + m.amount);
  }
  const firstPenaltyDay = daysBetween(from, instalment.dueOn) + 1;
  let running = penaltyNumeratorThrough(instalment, from, annualRate);
  let base = principalAtEndOf(instalment, from);
  const totals = [running];
  for (let k = 1; k <= span; k++) {
    base -= movedOn.get(k) ?? 0;
    if (k >= firstPenaltyDay && base > 0) running += BigInt(base) * scaledRate;
    totals.push(running);
  }
  return totals;
}

/**
 * Splits the days from `start` to `end` where a payment or reversal changed the overdue
 * principal. One pass over the movements in date order, not a sum over all of them per
 * segment: an instalment paid in many small amounts has as many movements as segments.
 */
function baseSegments(instalment: InstalmentState, start: BusinessDate, end: BusinessDate): PenaltySegment[] {
  const movements = [...instalment.principalMovements].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const changeDays = [...new Set(movements.map((m) => m.on))].filter((on) => on > start && on <= end);
  // The unpaid principal at the end of each segment's last day (principalAtEndOf), the movements taken in as the days go by.
  let base = instalment.principalDue;
  let next = 0;
  const baseAtEndOf = (day: BusinessDate): MinorUnits => {
    for (; next < movements.length && movements[next]!.on <= day; next++) base -= movements[next]!.amount;
    return base;
  };
  const segments: PenaltySegment[] = [];
  let from = start;
  for (const to of [...changeDays.map((day) => addDays(day, -1)), end]) {
    segments.push({ from, to, days: daysBetween(from, to) + 1, base: baseAtEndOf(to) });
    from = addDays(to, 1);
  }
  return segments;
}

/** The instalment's unpaid principal at the end of a day: payments received that day count. */
function principalAtEndOf(instalment: InstalmentState, day: BusinessDate): MinorUnits {
  return instalment.principalMovements.reduce((base, m) => (m.on <= day ? base - m.amount : base), instalment.principalDue);
}

/**
 * The part of a penalty accrual that close of business would have posted by `on`: for each
 * instalment missed by then, its segments cut at `on` and its amount posted on its running
 * total as then (so the parts of an accrual split at any day add up to the whole, as daily
 * accruals would); undefined when there is none. `instalments` are the loan's instalments as
 * of `on`, before the accrual.
 */
export function accrualThrough(
  accrued: PenaltyAccruedData,
  instalments: readonly InstalmentState[],
  on: BusinessDate,
  rounding: RoundingMode,
): PenaltyAccruedData | undefined {
  if (accrued.to <= on) return accrued;
  const parts: InstalmentPenalty[] = [];
  for (const penalty of accrued.instalments) {
    const instalment = instalments.find((i) => i.number === penalty.number)!;
    // Penalty is posted once an instalment is missed (its grace days then too): before that day, none of it was.
    if (instalment.missedOn === undefined || instalment.missedOn > on) continue;
    const segments = penalty.segments
      .filter((s) => s.from <= on)
      .map((s) => (s.to <= on ? s : { ...s, to: on, days: daysBetween(s.from, on) + 1 }));
    if (segments.length === 0) continue;
    const before = BigInt(instalment.penaltyNumerator);
    const amount = postedPenalty(before + penaltyNumeratorOf(segments, accrued.annualRate), rounding) - postedPenalty(before, rounding);
    parts.push({ number: penalty.number, segments, amount });
  }
  if (parts.length === 0) return undefined;
  return { ...accrued, to: on, amount: parts.reduce((sum, p) => sum + p.amount, 0), instalments: parts };
}
