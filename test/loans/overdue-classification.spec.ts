import { bucketOf, daysPastDueRangeOf } from '../../src/loans/domain/standing/delinquency-bucket.js';
import { fiveCategoryClassOf, ifrs9StageOf } from '../../src/loans/domain/standing/risk-classification.js';

describe('overdue classification at the boundaries of DESIGN.md §3', () => {
  it.each([
    [0, 'C'],
    [1, 'M1'],
    [30, 'M1'],
    [31, 'M2'],
    [60, 'M2'],
    [61, 'M3'],
    [90, 'M3'],
    [91, 'M4'],
    [120, 'M4'],
    [121, 'M5'],
    [150, 'M5'],
    [151, 'M6'],
    [180, 'M6'],
    [181, 'M7+'],
    [1000, 'M7+'],
  ])('DPD %i is bucket %s, and lies in that bucket\'s range', (dpd, bucket) => {
    expect(bucketOf(dpd)).toBe(bucket);
    const { min, max } = daysPastDueRangeOf(bucketOf(dpd));
    expect(dpd).toBeGreaterThanOrEqual(min);
    if (max !== undefined) expect(dpd).toBeLessThanOrEqual(max);
  });

  it.each([
    [0, 'normal'],
    [1, 'special-mention'],
    [90, 'special-mention'],
    [91, 'substandard'],
    [270, 'substandard'],
    [271, 'doubtful'],
    [360, 'doubtful'],
    [361, 'loss'],
  ])('DPD %i is classed %s', (dpd, klass) => {
    expect(fiveCategoryClassOf({ daysPastDue: dpd })).toBe(klass);
  });

  it('classes a written-off loan as loss and a restructured one in observation at least special mention', () => {
    expect(fiveCategoryClassOf({ daysPastDue: 0, writtenOff: true })).toBe('loss');
    expect(fiveCategoryClassOf({ daysPastDue: 0, inRestructuringObservation: true })).toBe('special-mention');
    expect(fiveCategoryClassOf({ daysPastDue: 120, inRestructuringObservation: true })).toBe('substandard');
  });

  it.each([
    [0, 1],
    [30, 1],
    [31, 2],
    [90, 2],
    [91, 3],
  ])('DPD %i is IFRS 9 stage %i', (dpd, stage) => {
    expect(ifrs9StageOf({ daysPastDue: dpd })).toBe(stage);
  });

  it('puts a written-off loan in stage 3', () => {
    expect(ifrs9StageOf({ daysPastDue: 0, writtenOff: true })).toBe(3);
  });
});
