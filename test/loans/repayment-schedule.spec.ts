import fc from 'fast-check';
import type { RoundingMode } from '../../src/kernel/money/rate.js';
import { REPAYMENT_METHODS } from '../../src/loans/domain/repayment-method.js';
import { generateSchedule, type ScheduleTerms } from '../../src/loans/domain/repayment-schedule.js';
import type { ScheduledInstalment } from '../../src/loans/domain/scheduled-instalment.js';

// ---------------------------------------------------------------------------------------
// An independent re-computation of the rules with exact rational arithmetic on BigInt
// (the code under test uses 40-digit decimals), so a precision or rounding slip in either
// shows up as a difference.
// ---------------------------------------------------------------------------------------

const ROUNDING_MODES: readonly RoundingMode[] = ['half-up', 'half-even', 'down', 'up'];

/** num/den (both non-negative, den > 0) to a whole number with the rounding mode. */
function roundRatio(num: bigint, den: bigint, mode: RoundingMode): bigint {
  const whole = num / den;
  const twiceRemainder = 2n * (num % den);
  switch (mode) {
    case 'down':
      return whole;
    case 'up':
      return twiceRemainder > 0n ? whole + 1n : whole;
    case 'half-up':
      return twiceRemainder >= den ? whole + 1n : whole;
    case 'half-even':
      if (twiceRemainder > den) return whole + 1n;
      if (twiceRemainder < den) return whole;
      return whole % 2n === 0n ? whole : whole + 1n;
  }
}

/** "0.18" → 18/100 as integers. */
function rateAsRatio(text: string): { units: bigint; scale: bigint } {
  const [whole, fraction = ''] = text.split('.');
  return { units: BigInt(whole! + fraction), scale: 10n ** BigInt(fraction.length) };
}

interface Split {
  principal: number;
  interest: number;
}

function exactSplits(terms: ScheduleTerms): Split[] {
  const { units, scale } = rateAsRatio(terms.annualInterestRate);
  const n = terms.termMonths;
  const P = BigInt(terms.principal);
  const monthsScale = 12n * scale; // monthly rate r = units / monthsScale
  const interestOn = (balance: bigint): bigint => roundRatio(balance * units, monthsScale, terms.rounding);

  const levelPrincipal = (share: bigint): Split[] => {
    const splits: Split[] = [];
    let balance = P;
    for (let k = 1; k <= n; k++) {
      const principal = k < n ? share : balance;
      splits.push({ principal: Number(principal), interest: Number(interestOn(balance)) });
      balance -= principal;
    }
    return splits;
  };
  const equalPrincipal = (): Split[] => {
    const rounded = roundRatio(P, BigInt(n), terms.rounding);
    return levelPrincipal(rounded * BigInt(n - 1) <= P ? rounded : P / BigInt(n));
  };

  switch (terms.repaymentMethod) {
    case 'interest-only':
      return Array.from({ length: n }, (_, i) => ({
        principal: i === n - 1 ? terms.principal : 0,
        interest: Number(interestOn(P)),
      }));
    case 'equal-principal':
      return equalPrincipal();
    case 'equal-installment': {
      if (units === 0n) return equalPrincipal();
      // P·r·(1+r)^n / ((1+r)^n − 1) with r = units/monthsScale, cleared of fractions.
      const grown = (monthsScale + units) ** BigInt(n);
      const base = monthsScale ** BigInt(n);
      let payment = roundRatio(P * units * grown, monthsScale * (grown - base), terms.rounding);
      for (;;) {
        const splits: Split[] = [];
        let balance = P;
        for (let k = 1; k < n && balance >= 0n; k++) {
          const interest = interestOn(balance);
          const principal = payment - interest;
          splits.push({ principal: Number(principal), interest: Number(interest) });
          balance -= principal;
        }
        if (balance >= 0n) {
          splits.push({ principal: Number(balance), interest: Number(interestOn(balance)) });
          return splits;
        }
        payment -= 1n; // too much repaid before the last instalment: lower the level payment
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const splitsOf = (schedule: ScheduledInstalment[]): Split[] =>
  schedule.map(({ principal, interest }) => ({ principal, interest }));
const paymentOf = (instalment: ScheduledInstalment): number => instalment.principal + instalment.interest;
const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

function terms(overrides: Partial<ScheduleTerms>): ScheduleTerms {
  return {
    principal: 1_200_000,
    annualInterestRate: '0.18',
    termMonths: 12,
    repaymentMethod: 'equal-installment',
    disbursedOn: '2026-01-31',
    rounding: 'half-up',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------
// Worked examples
// ---------------------------------------------------------------------------------------

describe('generateSchedule: equal-installment (French annuity)', () => {
  const schedule = generateSchedule(terms({}));

  it('pays 1,100.16 a month for 12,000.00 at 18% over 12 months', () => {
    // The annuity formula in plain floating point, on a path of its own.
    const r = 0.18 / 12;
    const floatPayment = (1_200_000 * r) / (1 - (1 + r) ** -12);
    expect(Math.abs(floatPayment - 110_016)).toBeLessThan(0.5);

    expect(schedule).toHaveLength(12);
    for (const instalment of schedule.slice(0, 11)) expect(paymentOf(instalment)).toBe(110_016);
  });

  it('splits each payment into interest on the balance and principal', () => {
    // 1,200,000 × 1.5% = 18,000 interest; 110,016 − 18,000 = 92,016 principal.
    expect(schedule[0]).toEqual({ number: 1, dueOn: '2026-02-28', principal: 92_016, interest: 18_000 });
    // Balance 1,107,984 × 1.5% = 16,619.76 → 16,620; 110,016 − 16,620 = 93,396.
    expect(schedule[1]).toEqual({ number: 2, dueOn: '2026-03-31', principal: 93_396, interest: 16_620 });
  });

  it('lets the last instalment take the remaining principal', () => {
    const repaidBeforeLast = sum(schedule.slice(0, 11).map((i) => i.principal));
    const last = schedule[11]!;
    expect(last.principal).toBe(1_200_000 - repaidBeforeLast);
    expect(last.interest).toBe(Math.round(last.principal * 0.015));
    expect(Math.abs(paymentOf(last) - 110_016)).toBeLessThanOrEqual(12);
    expect(splitsOf(schedule)).toEqual(exactSplits(terms({})));
  });

  it('falls due on the disbursement day of each month, clamped to the month end', () => {
    expect(schedule.map((i) => i.dueOn)).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
      '2026-10-31',
      '2026-11-30',
      '2026-12-31',
      '2027-01-31',
    ]);
    expect(schedule.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('uses 29 February in a leap year', () => {
    const leap = generateSchedule(terms({ disbursedOn: '2024-01-31', termMonths: 3 }));
    expect(leap.map((i) => i.dueOn)).toEqual(['2024-02-29', '2024-03-31', '2024-04-30']);
  });

  it('rounds the payment with the configured mode', () => {
    // 12,000.00 at 10% over 12 months: 1,054.99... a month (exact value 105,499.06...).
    const tenPercent = terms({ annualInterestRate: '0.1' });
    expect(paymentOf(generateSchedule({ ...tenPercent, rounding: 'half-up' })[0]!)).toBe(105_499);
    expect(paymentOf(generateSchedule({ ...tenPercent, rounding: 'down' })[0]!)).toBe(105_499);
    expect(paymentOf(generateSchedule({ ...tenPercent, rounding: 'up' })[0]!)).toBe(105_500);
  });

  it('keeps a level payment for a tiny principal by lowering it rather than overpaying early', () => {
    // 10.00 at 0.01% over 360 months: the annuity is 2.78 minor units a month, rounding to 3,
    // which would repay 359 × 3 = 1,077 > 1,000 before the last instalment. 2 a month fits.
    const tiny = generateSchedule(terms({ principal: 1_000, annualInterestRate: '0.0001', termMonths: 360 }));
    expect(tiny.slice(0, 359).every((i) => i.principal === 2 && i.interest === 0)).toBe(true);
    expect(tiny[359]).toMatchObject({ principal: 1_000 - 359 * 2, interest: 0 });
  });
});

describe('generateSchedule: equal-principal', () => {
  it('repays 1,000.00 of principal a month with interest on the falling balance', () => {
    const schedule = generateSchedule(terms({ repaymentMethod: 'equal-principal' }));
    expect(schedule.map((i) => i.principal)).toEqual(Array(12).fill(100_000));
    // Balance before instalment k is 1,200,000 − (k−1)·100,000; at 1.5% a month:
    expect(schedule.map((i) => i.interest)).toEqual([
      18_000, 16_500, 15_000, 13_500, 12_000, 10_500, 9_000, 7_500, 6_000, 4_500, 3_000, 1_500,
    ]);
  });

  it('rounds the regular principal and lets the last instalment take the remainder', () => {
    // 1,000.00 over 3 months: 333.33 rounds to 333.33; the last takes 333.34.
    // Interest at 12% (1% a month): 1,000.00 → 10.00, 666.67 → 6.6667 → 6.67, 333.34 → 3.3334 → 3.33.
    const schedule = generateSchedule(
      terms({ principal: 100_000, annualInterestRate: '0.12', termMonths: 3, repaymentMethod: 'equal-principal' }),
    );
    expect(splitsOf(schedule)).toEqual([
      { principal: 33_333, interest: 1_000 },
      { principal: 33_333, interest: 667 },
      { principal: 33_334, interest: 333 },
    ]);
  });

  it('rounds the regular principal down when rounding it up would leave a negative remainder', () => {
    // 0.01 over 3 months, rounding up: 1 fen a month would repay 2 fen of 1 before the last.
    const schedule = generateSchedule(
      terms({ principal: 1, termMonths: 3, repaymentMethod: 'equal-principal', rounding: 'up' }),
    );
    expect(schedule.map((i) => i.principal)).toEqual([0, 0, 1]);
    // 0.07 over 4 months, half-up: 1.75 → 2 a month still fits (6 ≤ 7), the last takes 1.
    const fits = generateSchedule(terms({ principal: 7, termMonths: 4, repaymentMethod: 'equal-principal' }));
    expect(fits.map((i) => i.principal)).toEqual([2, 2, 2, 1]);
  });
});

describe('generateSchedule: interest-only', () => {
  it('charges 180.00 of interest each month and all principal with the last', () => {
    const schedule = generateSchedule(terms({ repaymentMethod: 'interest-only' }));
    expect(schedule.map((i) => i.interest)).toEqual(Array(12).fill(18_000));
    expect(schedule.map((i) => i.principal)).toEqual([...Array(11).fill(0), 1_200_000]);
  });
});

describe('generateSchedule: zero rate', () => {
  it.each(REPAYMENT_METHODS)('%s charges no interest and spreads the principal', (method) => {
    const schedule = generateSchedule(
      terms({ principal: 100_000, annualInterestRate: '0', termMonths: 3, repaymentMethod: method }),
    );
    expect(schedule.every((i) => i.interest === 0)).toBe(true);
    expect(sum(schedule.map((i) => i.principal))).toBe(100_000);
  });

  it('pays round(P/n) a month on equal instalments, the last taking the remainder', () => {
    const halfUp = generateSchedule(terms({ principal: 100_000, annualInterestRate: '0', termMonths: 3 }));
    expect(halfUp.map((i) => i.principal)).toEqual([33_333, 33_333, 33_334]);
    const up = generateSchedule(terms({ principal: 100_000, annualInterestRate: '0', termMonths: 3, rounding: 'up' }));
    expect(up.map((i) => i.principal)).toEqual([33_334, 33_334, 33_332]);
  });
});

describe('generateSchedule: rejects impossible terms', () => {
  it.each([
    { principal: -1 },
    { principal: 1.5 },
    { termMonths: 0 },
    { termMonths: 2.5 },
    { annualInterestRate: '-0.01' },
  ])('%j', (overrides) => {
    expect(() => generateSchedule(terms(overrides))).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/** "0" … "0.36" with up to four decimals, sometimes with trailing zeros ("0.1800"). */
const annualRate = fc.tuple(fc.integer({ min: 0, max: 3600 }), fc.boolean()).map(([basisPoints, padded]) => {
  const text = `${Math.floor(basisPoints / 10_000)}.${String(basisPoints % 10_000).padStart(4, '0')}`;
  return padded ? text : text.replace(/\.?0+$/, '');
});

const businessDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

const scheduleTerms: fc.Arbitrary<ScheduleTerms> = fc.record({
  principal: fc.integer({ min: 1, max: 100_000_000_000 }),
  annualInterestRate: annualRate,
  termMonths: fc.integer({ min: 1, max: 360 }),
  repaymentMethod: fc.constantFrom(...REPAYMENT_METHODS),
  disbursedOn: businessDate,
  rounding: fc.constantFrom(...ROUNDING_MODES),
});

// Every property runs on the same generated terms (one seed per run of this file, which
// fast-check prints on failure), so each 360-month schedule is generated once, not once
// per property, and the file stays fast.
const seed = Date.now() % 2 ** 31;
const generatedSchedules = new Map<string, ScheduledInstalment[]>();

function scheduleFor(generated: ScheduleTerms): ScheduledInstalment[] {
  const key = JSON.stringify(generated);
  let schedule = generatedSchedules.get(key);
  if (!schedule) {
    schedule = generateSchedule(generated);
    generatedSchedules.set(key, schedule);
  }
  return schedule;
}

function property(name: string, check: (terms: ScheduleTerms, schedule: ScheduledInstalment[]) => void): void {
  it(name, () => {
    fc.assert(
      fc.property(scheduleTerms, (generated) => check(generated, scheduleFor(generated))),
      { seed },
    );
  });
}

describe('generateSchedule properties', () => {
  property('has one instalment a month for the term, numbered from 1', (generated, schedule) => {
    expect(schedule.map((i) => i.number)).toEqual(Array.from({ length: generated.termMonths }, (_, i) => i + 1));
  });

  property('repays exactly the principal', (generated, schedule) => {
    expect(sum(schedule.map((i) => i.principal))).toBe(generated.principal);
  });

  property('never has a negative or fractional amount', (_, schedule) => {
    const amounts = schedule.flatMap((i) => [i.principal, i.interest]);
    expect(amounts.filter((amount) => !Number.isSafeInteger(amount) || amount < 0)).toEqual([]);
  });

  property('falls due on the disbursement day of month, clamped, strictly increasing', (generated, schedule) => {
    const [year, month, day] = generated.disbursedOn.split('-').map(Number) as [number, number, number];
    const expected = schedule.map((_, index) => {
      const monthIndex = month - 1 + index + 1;
      const dueYear = year + Math.floor(monthIndex / 12);
      const dueMonth = (monthIndex % 12) + 1;
      const daysInMonth = new Date(Date.UTC(dueYear, dueMonth, 0)).getUTCDate();
      return `${dueYear}-${String(dueMonth).padStart(2, '0')}-${String(Math.min(day, daysInMonth)).padStart(2, '0')}`;
    });
    const dueDates = schedule.map((i) => i.dueOn);
    expect(dueDates).toEqual(expected);
    expect(dueDates.every((dueOn, index) => index === 0 || dueOn > dueDates[index - 1]!)).toBe(true);
  });

  property('equal-installment: every instalment but the last pays the same', (generated, schedule) => {
    if (generated.repaymentMethod !== 'equal-installment') return;
    const payments = new Set(schedule.slice(0, -1).map(paymentOf));
    expect(payments.size).toBeLessThanOrEqual(1);
  });

  property('interest-only: all principal with the last instalment, the same interest monthly', (generated, schedule) => {
    if (generated.repaymentMethod !== 'interest-only') return;
    expect(schedule.slice(0, -1).every((i) => i.principal === 0)).toBe(true);
    expect(schedule.at(-1)!.principal).toBe(generated.principal);
    expect(new Set(schedule.map((i) => i.interest)).size).toBe(1);
  });

  property('equal-principal: the same principal each month but the last, never less', (generated, schedule) => {
    if (generated.repaymentMethod !== 'equal-principal') return;
    const regular = new Set(schedule.slice(0, -1).map((i) => i.principal));
    expect(regular.size).toBeLessThanOrEqual(1);
    const [share] = [...regular];
    if (share !== undefined && schedule.at(-1)!.principal < share) {
      // Only rounding the share up may leave the last instalment short, by less than n.
      expect(share * generated.termMonths - generated.principal).toBeLessThan(generated.termMonths);
    }
  });

  property('agrees with an exact rational re-computation', (generated, schedule) => {
    expect(splitsOf(schedule)).toEqual(exactSplits(generated));
  });
});
