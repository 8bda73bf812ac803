import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { addMonthsTo, lastDayOf, monthOf } from '../../kernel/dates/year-month.js';
import { ConflictError } from '../../kernel/errors/domain-error.js';
import type { EventStore } from '../../kernel/event-store/event-store.port.js';
import type { ReportBasis } from './report-basis.js';
import { BUSINESS_DAY_STREAM, type BusinessDayClosedData, businessDayDecider } from '../../close-of-business/domain/business-day.js';
import { foldStream } from '../../kernel/event-store/fold-stream.js';

/**
 * The first close of business on or after the date (the one that closed it, alone or in a
 * catch-up run). Everything recorded after it is left out, so the figures for a date never
 * change once it is closed.
 */
export async function reportBasisFor(events: EventStore, date: BusinessDate): Promise<ReportBasis> {
  const closes = await events.readStream(BUSINESS_DAY_STREAM);
  const closing = closes.find((event) => (event.data as BusinessDayClosedData).businessDate >= date);
  if (!closing) {
    const { lastClosedOn } = foldStream(businessDayDecider, closes);
    throw new ConflictError('REPORT.NOT_CLOSED', `Business date ${date} has not been closed yet; the last closed is ${lastClosedOn ?? 'none'}`, {
      lastClosedOn: lastClosedOn ?? null,
    });
  }
  const { businessDate, lendingPolicy } = closing.data as BusinessDayClosedData;
  return { closeOfBusiness: businessDate, lastPosition: closing.position, ...(lendingPolicy && { lendingPolicy }) };
}

/** The last business date closed; a report before the first close of business has nothing to be derived from. */
export async function lastClosedBusinessDate(events: EventStore): Promise<BusinessDate> {
  const { lastClosedOn } = foldStream(businessDayDecider, await events.readStream(BUSINESS_DAY_STREAM));
  if (!lastClosedOn) throw new ConflictError('REPORT.NOT_CLOSED', 'No business date has been closed yet', { lastClosedOn: null });
  return lastClosedOn;
}

/**
 * What the report of the month before `date`'s month rests on (the close that closed its
 * last day), or undefined when that day was never closed: then no earlier report exists to
 * reconcile with.
 */
export async function previousReportBasis(events: EventStore, date: BusinessDate): Promise<ReportBasis | undefined> {
  const previousMonthEnd = lastDayOf(addMonthsTo(monthOf(date), -1));
  const closes = await events.readStream(BUSINESS_DAY_STREAM);
  const closing = closes.find((event) => (event.data as BusinessDayClosedData).businessDate >= previousMonthEnd);
  return closing && { closeOfBusiness: (closing.data as BusinessDayClosedData).businessDate, lastPosition: closing.position };
}
