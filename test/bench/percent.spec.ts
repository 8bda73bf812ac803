import { percent } from '../../bench/support/bench-results.js';

describe('a share as the benchmarks print it', () => {
  it('never reads as the target it missed', () => {
    // 163,059 against 326,825 events/s: printed "50%" beside a MISS of "≥ 50%" before.
    expect(percent(163_059 / 326_825)).toBe('49%');
    expect(percent(0.6999)).toBe('69%');
  });

  it('reads a share at or above its target as reaching it', () => {
    expect(percent(0.5)).toBe('50%');
    expect(percent(0.7)).toBe('70%');
    // 0.29 × 100 is 28.999… in floating point.
    expect(percent(0.29)).toBe('29%');
    expect(percent(1.12)).toBe('112%');
  });
});
