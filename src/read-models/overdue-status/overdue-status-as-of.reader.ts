import { Inject, Injectable } from '@nestjs/common';
import { BUSINESS_DAY_STREAM, businessDayDecider } from '../../close-of-business/domain/business-day.js';
import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { NotFoundError } from '../../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore } from '../../kernel/event-store/event-store.port.js';
import { recordedBy } from '../../kernel/event-store/recorded-by.js';
import { foldStream } from '../../kernel/event-store/fold-stream.js';
import { loanEventsAsOf } from '../../loans/domain/loan-as-of.js';
import { type LoanEvent, loanStream } from '../../loans/domain/loan-events.js';
import { overdueStatusRowOf } from './overdue-status.fold.js';
import type { OverdueStatusDto } from './overdue-status.dto.js';
import { toOverdueStatus } from './to-overdue-status.js';

/**
 * A loan's overdue status as of a past business date and as known at a past instant:
 * the projection's own row logic run over the loan's events that pass both filters, so
 * it shows what the live view showed (or would have) then.
 */
@Injectable()
export class OverdueStatusAsOfReader {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async forLoan(loanId: string, asOf: BusinessDate | undefined, knownAt: string | undefined): Promise<OverdueStatusDto> {
    const history = recordedBy(await this.events.readStream(loanStream(loanId)), knownAt);
    // Without a date: the last business date closed as of that instant, as the live view would have used.
    const on = asOf ?? foldStream(businessDayDecider, recordedBy(await this.events.readStream(BUSINESS_DAY_STREAM), knownAt)).lastClosedOn ?? null;
    const recorded = history.map((e) => ({ type: e.type, data: e.data }) as LoanEvent);
    const events = on === null ? recorded : loanEventsAsOf(recorded, on);
    const row = overdueStatusRowOf(events);
    if (!row) throw new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId} as of ${asOf ?? knownAt}`, { loanId });
    return toOverdueStatus(row, on);
  }
}

