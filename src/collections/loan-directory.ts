import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { type LoanOriginatedData, loanStream } from '../loans/domain/loan-events.js';
import type { LoanForCollection } from './domain/collection-commands.js';

/** What collections needs to know of a loan, read from the first event of its own stream. */
@Injectable()
export class LoanDirectory {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async forCollection(loanId: string): Promise<LoanForCollection> {
    const [first] = await this.events.readStream(loanStream(loanId));
    if (!first || first.type !== 'LoanOriginated') throw new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId}`);
    const { borrowerId, currency, borrowerTimeZone } = first.data as LoanOriginatedData;
    return { loanId, borrowerId, currency, timeZone: borrowerTimeZone };
  }
}
