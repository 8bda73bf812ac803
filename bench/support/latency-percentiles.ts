import type { LatencyMs } from './http-load.js';

/**
 * Percentiles over every response time, kept whole: autocannon's own histogram holds whole
 * milliseconds, too coarse for queries that answer in a fraction of one.
 */
export function latencyPercentiles(times: readonly number[]): LatencyMs {
  if (times.length === 0) return { p50: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(times).sort();
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! };
}
