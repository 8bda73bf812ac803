import { BusinessRuleViolation } from '../errors/domain-error.js';
import type { BusinessClock } from './business-clock.js';
import { type BusinessDate, addDays } from './business-date.js';

/**
 * Refuses what cannot have happened yet. An event log cannot be edited, so a business date
 * after today (a payment dated 2030, a close of business on 2099-12-31) would stay in the
 * record for good and block every real date after it: it is refused before it gets in.
 *
 * `toleranceDays` (0 or 1) allows for a client a time zone ahead of the business one, whose
 * today is already tomorrow here. An instant has no such ambiguity and is compared with
 * the clock, allowing `instantSkewMs` for clocks that disagree a little.
 */
export class FutureDateGuard {
  constructor(
    private readonly clock: BusinessClock,
    private readonly toleranceDays: number,
    private readonly instantSkewMs: number = 5 * 60_000,
  ) {}

  /** The latest business date a command may carry. */
  latestAcceptedDate(): BusinessDate {
    return addDays(this.clock.today(), this.toleranceDays);
  }

  /** Throws 409 BUSINESS_DATE.IN_FUTURE, naming the field and today, when `date` is after the latest accepted date. */
  refuseFutureDate(field: string, date: BusinessDate): void {
    const latest = this.latestAcceptedDate();
    if (date <= latest) return;
    const today = this.clock.today();
    throw new BusinessRuleViolation(
      'BUSINESS_DATE.IN_FUTURE',
      `${field} ${date} is after today's business date ${today}${this.toleranceDays > 0 ? ` (accepted up to ${latest})` : ''}`,
      { field, today, latestAccepted: latest },
    );
  }

  /** Throws 409 BUSINESS_DATE.IN_FUTURE when the instant is later than now (plus the skew allowance). */
  refuseFutureInstant(field: string, instant: string): void {
    const now = this.clock.now();
    if (Date.parse(instant) <= now.getTime() + this.instantSkewMs) return;
    throw new BusinessRuleViolation('BUSINESS_DATE.IN_FUTURE', `${field} ${instant} is later than now (${now.toISOString()})`, {
      field,
      now: now.toISOString(),
      today: this.clock.today(),
    });
  }
}
