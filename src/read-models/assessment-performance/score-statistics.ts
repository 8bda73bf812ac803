import { Dec } from '../../kernel/money/rate.js';

/**
 * The statistics of the assessment performance report, pure and exact. A higher score
 * means a better borrower. AUC, Gini and KS are ratios of integers counted with BigInt and
 * printed to six decimals (half away from zero): no float is ever summed. PSI needs
 * logarithms: decimal.js at 40 significant digits, printed to six decimals.
 */

export interface ScoredOutcome {
  readonly score: number;
  readonly bad: boolean;
}

export const DECIMALS = 6;

/** num/den to six decimals, rounded half away from zero. */
export function formatRatio(num: bigint, den: bigint): string {
  if (den <= 0n) throw new RangeError('a ratio needs a positive denominator');
  const scale = 10n ** BigInt(DECIMALS);
  const negative = num < 0n;
  const magnitude = negative ? -num : num;
  const scaled = (magnitude * scale * 2n + den) / (2n * den);
  const text = `${scaled / scale}.${(scaled % scale).toString().padStart(DECIMALS, '0')}`;
  return negative && scaled !== 0n ? `-${text}` : text;
}

/** A share of loans to six decimals; null when there are no loans to share. */
export function rateOf(part: number, whole: number): string | null {
  return whole === 0 ? null : formatRatio(BigInt(part), BigInt(whole));
}

/** Loans grouped by distinct score, lowest first, with their good and bad counts. */
function scoreGroups(loans: readonly ScoredOutcome[]): { score: number; good: number; bad: number }[] {
  const byScore = new Map<number, { score: number; good: number; bad: number }>();
  for (const { score, bad } of loans) {
    const group = byScore.get(score) ?? { score, good: 0, bad: 0 };
    if (bad) group.bad++;
    else group.good++;
    byScore.set(score, group);
  }
  return [...byScore.values()].sort((a, b) => a.score - b.score);
}

export interface Discrimination {
  /** P(a good loan scores above a bad one), ties counted half: the Mann–Whitney U over good × bad. */
  readonly auc: string | null;
  /** 2·AUC − 1. */
  readonly gini: string | null;
  /** max over scores s of |F_bad(s) − F_good(s)|, F the share scoring s or less. */
  readonly ks: string | null;
  /** The score at which the KS gap is first at its largest. */
  readonly ksAtScore: number | null;
  /** Why the figures are null: too few loans, no bad or no good loans; null when they are defined. */
  readonly reason: string | null;
}

/** Why a cohort's discrimination is undefined, or undefined when it is not. */
export function undefinedReason(loans: readonly ScoredOutcome[], minimumLoans: number): string | undefined {
  if (loans.length === 0) return 'no loans';
  if (loans.length < minimumLoans) return `fewer than ${minimumLoans} loans (${loans.length})`;
  if (!loans.some((l) => l.bad)) return 'no bad loans';
  if (loans.every((l) => l.bad)) return 'no good loans';
  return undefined;
}

export function discriminationOf(loans: readonly ScoredOutcome[], minimumLoans: number): Discrimination {
  const reason = undefinedReason(loans, minimumLoans);
  if (reason !== undefined) return { auc: null, gini: null, ks: null, ksAtScore: null, reason };
  const groups = scoreGroups(loans);
  const bads = BigInt(loans.filter((l) => l.bad).length);
  const goods = BigInt(loans.length) - bads;
  let goodAbove = 0n; // pairs (good, bad) with the good loan scoring higher
  let tied = 0n;
  let badsBelow = 0n;
  let goodsBelow = 0n;
  let widest = -1n;
  let ksAtScore = groups[0]!.score;
  for (const group of groups) {
    const [good, bad] = [BigInt(group.good), BigInt(group.bad)];
    goodAbove += good * badsBelow;
    tied += good * bad;
    badsBelow += bad;
    goodsBelow += good;
    // |badsBelow/bads − goodsBelow/goods| over the common denominator bads·goods.
    const gap = badsBelow * goods - goodsBelow * bads;
    const width = gap < 0n ? -gap : gap;
    if (width > widest) [widest, ksAtScore] = [width, group.score];
  }
  const pairs = goods * bads;
  const twiceU = 2n * goodAbove + tied;
  return {
    auc: formatRatio(twiceU, 2n * pairs),
    gini: formatRatio(twiceU - pairs, pairs),
    ks: formatRatio(widest, pairs),
    ksAtScore,
    reason: null,
  };
}

export const BANDS = 10;

/**
 * The upper bounds of the ten score bands (deciles) of a population: band k holds the
 * scores above bound k−1 up to bound k, bound k being the score of the ⌈k·n/10⌉-th loan
 * from the lowest. Tied scores stay in one band, so a band can be empty (its bound equals
 * the one before). Empty for an empty population.
 */
export function decileBounds(scores: readonly number[]): number[] {
  const sorted = [...scores].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  return Array.from({ length: BANDS }, (_, k) => sorted[Math.ceil(((k + 1) * sorted.length) / BANDS) - 1]!);
}

/** The band (1–10) of a score: the first whose bound is at least the score; above the last bound, the last band. */
export function bandOf(score: number, bounds: readonly number[]): number {
  const index = bounds.findIndex((bound) => score <= bound);
  return index === -1 ? bounds.length : index + 1;
}

export interface ScoreBand {
  readonly band: number;
  /** Scores above this (null: from the lowest). */
  readonly scoreAbove: number | null;
  /** Scores up to and including this. */
  readonly scoreUpTo: number;
  readonly loans: number;
  readonly bad: number;
  /** null when the band holds no loans (its bound ties with the band's before). */
  readonly badRate: string | null;
}

export function scoreBands(loans: readonly ScoredOutcome[]): ScoreBand[] {
  const bounds = decileBounds(loans.map((l) => l.score));
  const counts = bounds.map(() => ({ loans: 0, bad: 0 }));
  for (const loan of loans) {
    const count = counts[bandOf(loan.score, bounds) - 1]!;
    count.loans++;
    if (loan.bad) count.bad++;
  }
  return bounds.map((scoreUpTo, index) => ({
    band: index + 1,
    scoreAbove: index === 0 ? null : bounds[index - 1]!,
    scoreUpTo,
    loans: counts[index]!.loans,
    bad: counts[index]!.bad,
    badRate: rateOf(counts[index]!.bad, counts[index]!.loans),
  }));
}

/** A band empty in one cohort counts as this share of it, so its log is defined. */
export const PSI_EMPTY_BAND_SHARE = '0.0001';

export type PsiReading = 'stable' | 'watch' | 'shifted';

export interface Psi {
  readonly bands: readonly {
    readonly band: number;
    readonly scoreAbove: number | null;
    readonly scoreUpTo: number;
    readonly baselineLoans: number;
    readonly recentLoans: number;
  }[];
  readonly psi: string | null;
  readonly reading: PsiReading | null;
  readonly reason: string | null;
}

/**
 * Population stability of the recent scores against the baseline's: the baseline's ten
 * score bands, e_k and a_k the baseline's and the recent cohort's shares in band k,
 * PSI = Σ (a_k − e_k) · ln(a_k / e_k) over the bands holding loans of either cohort (a
 * share of 0 counted as PSI_EMPTY_BAND_SHARE). Reading: below 0.10 stable, 0.10 to 0.25
 * watch, above 0.25 shifted (on the printed value).
 */
export function psiOf(baseline: readonly number[], recent: readonly number[], minimumLoans: number): Psi {
  const bounds = decileBounds(baseline);
  const baselineCounts = bounds.map(() => 0);
  const recentCounts = bounds.map(() => 0);
  for (const score of baseline) baselineCounts[bandOf(score, bounds) - 1]!++;
  for (const score of recent) if (bounds.length > 0) recentCounts[bandOf(score, bounds) - 1]!++;
  const bands = bounds.map((scoreUpTo, index) => ({
    band: index + 1,
    scoreAbove: index === 0 ? null : bounds[index - 1]!,
    scoreUpTo,
    baselineLoans: baselineCounts[index]!,
    recentLoans: recentCounts[index]!,
  }));
  const reason =
    baseline.length < minimumLoans
      ? `fewer than ${minimumLoans} loans in the baseline (${baseline.length})`
      : recent.length < minimumLoans
        ? `fewer than ${minimumLoans} loans in the last three months (${recent.length})`
        : undefined;
  if (reason !== undefined) return { bands, psi: null, reading: null, reason };
  const floor = new Dec(PSI_EMPTY_BAND_SHARE);
  let sum = new Dec(0);
  for (const band of bands) {
    if (band.baselineLoans === 0 && band.recentLoans === 0) continue;
    const e = band.baselineLoans === 0 ? floor : new Dec(band.baselineLoans).div(baseline.length);
    const a = band.recentLoans === 0 ? floor : new Dec(band.recentLoans).div(recent.length);
    sum = sum.plus(a.minus(e).times(a.div(e).ln()));
  }
  const psi = sum.toFixed(DECIMALS, Dec.ROUND_HALF_UP);
  return { bands, psi, reading: psiReading(psi), reason: null };
}

export function psiReading(psi: string): PsiReading {
  const value = new Dec(psi);
  if (value.lessThan('0.10')) return 'stable';
  return value.greaterThan('0.25') ? 'shifted' : 'watch';
}
