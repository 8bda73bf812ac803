import { Temporal } from 'temporal-polyfill';
import type { BusinessDate } from './business-date.js';

/**
 * The engine's one source of "now": the current instant, and today's business date in the
 * business time zone (COB_TIME_ZONE). Injected wherever a default date is needed, so tests
 * and replays of a past day can stand the clock still (CLOCK_FROZEN_AT) and nothing on a
 * command path reads the system clock itself. Domain code never sees it: the date comes in
 * through the command.
 */
export interface BusinessClock {
  now(): Date;
  today(): BusinessDate;
}

export const BUSINESS_CLOCK = Symbol('BusinessClock');

/** The calendar date of an instant in a time zone. */
export function businessDateAt(instant: Date, timeZone: string): BusinessDate {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/**
 * A clock reading `now` (the system clock, or one standing still: the composition chooses,
 * config.module.ts), dated in `timeZone`. Every command asks for today (the future-date
 * guard), and dating an instant in a time zone is costly; time-zone offsets are whole
 * seconds, so a date cannot change within a second: it is worked out once per second read.
 */
export function businessClock(timeZone: string, now: () => Date): BusinessClock {
  let second = Number.NaN;
  let date = '';
  return {
    now,
    today: () => {
      const instant = now();
      const at = Math.floor(instant.getTime() / 1000);
      if (at !== second) {
        date = businessDateAt(instant, timeZone);
        second = at;
      }
      return date;
    },
  };
}
