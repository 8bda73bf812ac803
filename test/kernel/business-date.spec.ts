import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { addDays, addMonths, daysBetween, isBusinessDate } from '../../src/kernel/dates/business-date.js';

describe('business dates', () => {
  it('adds days and counts them across month, year and leap-day boundaries', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-02-15', '2026-03-17')).toBe(30);
    expect(daysBetween('2026-03-17', '2026-02-15')).toBe(-30);
  });

  it('agrees with Temporal on any date and offset', () => {
    const date = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, fc.integer({ min: -40_000, max: 40_000 }), (start, days) => {
        const expected = Temporal.PlainDate.from(start).add({ days }).toString();
        expect(addDays(start, days)).toBe(expected);
        expect(daysBetween(start, expected)).toBe(days);
      }),
    );
  });

  it('adds months on the same day, clamped to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
  });

  it('accepts only real calendar dates in YYYY-MM-DD form', () => {
    expect(isBusinessDate('2026-02-28')).toBe(true);
    expect(isBusinessDate('2026-02-30')).toBe(false);
    expect(isBusinessDate('2026-2-3')).toBe(false);
    expect(isBusinessDate('2026-02-28T00:00')).toBe(false);
    expect(isBusinessDate('2024-02-29')).toBe(true);
    expect(isBusinessDate('2100-02-29')).toBe(false);
    expect(isBusinessDate('2000-02-29')).toBe(true);
  });

  it('tells a real date from a false one as Temporal does, for any YYYY-MM-DD', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (year, month, day) => {
        const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
        let real: boolean;
        try {
          Temporal.PlainDate.from(text, { overflow: 'reject' });
          real = true;
        } catch {
          real = false;
        }
        expect(isBusinessDate(text)).toBe(real);
      }),
      { numRuns: 5_000 },
    );
  });
});
