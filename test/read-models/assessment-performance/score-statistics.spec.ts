import {
  bandOf,
  decileBounds,
  discriminationOf,
  formatRatio,
  psiOf,
  psiReading,
  rateOf,
  scoreBands,
} from '../../../src/read-models/assessment-performance/score-statistics.js';

const good = (score: number) => ({ score, bad: false });
const bad = (score: number) => ({ score, bad: true });

// Four good loans (700, 650, 650, 600) and three bad (650, 550, 500); a higher score is a better borrower.
const LOANS = [good(700), good(650), bad(650), good(650), good(600), bad(550), bad(500)];

describe('the assessment performance statistics, by hand', () => {
  it('prints a ratio of integers to six decimals, half away from zero', () => {
    expect(formatRatio(1n, 3n)).toBe('0.333333');
    expect(formatRatio(2n, 3n)).toBe('0.666667');
    expect(formatRatio(-2n, 3n)).toBe('-0.666667');
    expect(formatRatio(1n, 2_000_000n)).toBe('0.000001');
    expect(formatRatio(-1n, 4_000_000n)).toBe('0.000000');
    expect(formatRatio(7n, 7n)).toBe('1.000000');
    expect(rateOf(0, 0)).toBeNull();
  });

  it('AUC counts the good-above-bad pairs, a tie as half; Gini = 2·AUC − 1; KS the widest gap of the cumulative shares', () => {
    // Pairs (good, bad): 4 × 3 = 12. Good 700 beats all three bads (3); each good 650 ties the bad 650
    // (½) and beats 550 and 500 (2½ each, 5); good 600 beats 550 and 500 (2). U = 10, AUC = 10/12.
    // Cumulative shares by score, bad vs good: 500 → 1/3 vs 0; 550 → 2/3 vs 0; 600 → 2/3 vs 1/4;
    // 650 → 1 vs 3/4; 700 → 1 vs 1. The widest gap: 2/3, at 550.
    expect(discriminationOf(LOANS, 1)).toEqual({ auc: '0.833333', gini: '0.666667', ks: '0.666667', ksAtScore: 550, reason: null });
    // The order the loans come in does not matter.
    expect(discriminationOf([...LOANS].reverse(), 7)).toEqual(discriminationOf(LOANS, 1));
  });

  it('a scorecard that ranks backwards has an AUC below a half and a negative Gini; all tied is chance', () => {
    expect(discriminationOf([bad(800), good(500)], 1)).toMatchObject({ auc: '0.000000', gini: '-1.000000', ks: '1.000000', ksAtScore: 500 });
    expect(discriminationOf([bad(600), good(600), good(600)], 1)).toMatchObject({ auc: '0.500000', gini: '0.000000', ks: '0.000000' });
  });

  it('undefined cases are null with a reason: too few loans, no bad, no good', () => {
    expect(discriminationOf(LOANS, 30)).toEqual({ auc: null, gini: null, ks: null, ksAtScore: null, reason: 'fewer than 30 loans (7)' });
    expect(discriminationOf([good(1), good(2)], 1).reason).toBe('no bad loans');
    expect(discriminationOf([bad(1), bad(2)], 1).reason).toBe('no good loans');
    expect(discriminationOf([], 1).reason).toBe('no loans');
  });

  it('score bands are deciles of the scored population; tied scores stay in one band, leaving bands with no loans', () => {
    // Sorted: 500 550 600 650 650 650 700; bound k is the ⌈7k/10⌉-th score.
    expect(decileBounds(LOANS.map((l) => l.score))).toEqual([500, 550, 600, 600, 650, 650, 650, 650, 700, 700]);
    const bands = scoreBands(LOANS);
    expect(bands.map((b) => [b.band, b.scoreAbove, b.scoreUpTo, b.loans, b.bad, b.badRate])).toEqual([
      [1, null, 500, 1, 1, '1.000000'],
      [2, 500, 550, 1, 1, '1.000000'],
      [3, 550, 600, 1, 0, '0.000000'],
      [4, 600, 600, 0, 0, null],
      [5, 600, 650, 3, 1, '0.333333'],
      [6, 650, 650, 0, 0, null],
      [7, 650, 650, 0, 0, null],
      [8, 650, 650, 0, 0, null],
      [9, 650, 700, 1, 0, '0.000000'],
      [10, 700, 700, 0, 0, null],
    ]);
    expect(scoreBands([])).toEqual([]);
    // Below the first bound: band 1; above the last: band 10.
    expect(bandOf(1, [5, 6, 7, 8, 9, 10, 11, 12, 13, 14])).toBe(1);
    expect(bandOf(99, [5, 6, 7, 8, 9, 10, 11, 12, 13, 14])).toBe(10);
  });

  it('PSI over the baseline bands, an empty band counted as 0.01%, and its reading', () => {
    const baseline = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]; // one loan a band: e = 0.1 each
    expect(psiOf(baseline, baseline, 10)).toMatchObject({ psi: '0.000000', reading: 'stable', reason: null });
    // Recent: 0.2 in each of bands 1-5, none in 6-10 (0.0001 each):
    // 5 × (0.2 − 0.1) · ln 2 + 5 × (0.0001 − 0.1) · ln(0.001)
    const recent = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5];
    const byHand = 5 * 0.1 * Math.log(2) + 5 * -0.0999 * Math.log(0.001);
    const psi = psiOf(baseline, recent, 10);
    expect(psi.psi).toBe(byHand.toFixed(6));
    expect(psi.reading).toBe('shifted');
    expect(psi.bands.map((b) => b.recentLoans)).toEqual([2, 2, 2, 2, 2, 0, 0, 0, 0, 0]);
    // One loan moved from band 10 to band 1: band 1 holds 0.2, band 10 none (0.0001); the rest unchanged.
    const oneMoved = psiOf(baseline, [1, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10);
    expect(oneMoved.psi).toBe((0.1 * Math.log(2) + (0.0001 - 0.1) * Math.log(0.0001 / 0.1)).toFixed(6));
    expect(psiReading('0.099999')).toBe('stable');
    expect(psiReading('0.100000')).toBe('watch');
    expect(psiReading('0.250000')).toBe('watch');
    expect(psiReading('0.250001')).toBe('shifted');
  });

  it('PSI is null with a reason when a cohort is smaller than the minimum', () => {
    expect(psiOf([1, 2, 3], [1, 2, 3, 4], 4)).toMatchObject({ psi: null, reading: null, reason: 'fewer than 4 loans in the baseline (3)' });
    expect(psiOf([1, 2, 3, 4], [1, 2, 3], 4)).toMatchObject({ psi: null, reason: 'fewer than 4 loans in the last three months (3)' });
  });
});
