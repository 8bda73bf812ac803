/**
 * Delinquency buckets by days past due (DESIGN.md §3): C current, M1 1–30 … M6 151–180,
 * M7+ beyond 180.
 */
export const DELINQUENCY_BUCKETS = ['C', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+'] as const;
export type DelinquencyBucket = (typeof DELINQUENCY_BUCKETS)[number];

export function bucketOf(daysPastDue: number): DelinquencyBucket {
  if (daysPastDue <= 0) return 'C';
  if (daysPastDue > 180) return 'M7+';
  return DELINQUENCY_BUCKETS[Math.ceil(daysPastDue / 30)]!;
}

/** The days-past-due range of a bucket, inclusive; `max` is undefined for M7+. */
export function daysPastDueRangeOf(bucket: DelinquencyBucket): { min: number; max: number | undefined } {
  if (bucket === 'C') return { min: 0, max: 0 };
  if (bucket === 'M7+') return { min: 181, max: undefined };
  const index = DELINQUENCY_BUCKETS.indexOf(bucket);
  return { min: (index - 1) * 30 + 1, max: index * 30 };
}
