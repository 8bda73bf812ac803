import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { foldStream } from '../kernel/event-store/fold-stream.js';
import { collectionDecider } from './domain/collection-decider.js';
import { collectionStream } from './domain/collection-events.js';
import type { ContactHistoryDto } from './collection-dtos.js';

/**
 * A borrower's contacts with every rule each is known to have broken (judged when it was
 * recorded, or found later when a stop request made before it was recorded after it) and
 * the borrower's stop requests: the collection state, folded from the borrower's stream.
 */
@Injectable()
export class ContactHistoryReader {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async history(borrowerId: string): Promise<ContactHistoryDto> {
    const stream = await this.events.readStream(collectionStream(borrowerId));
    if (stream.length === 0) throw new NotFoundError('COLLECTIONS.NO_HISTORY', `No collection events for borrower ${borrowerId}`, { borrowerId });
    const state = foldStream(collectionDecider, stream);
    return {
      borrowerId,
      contacts: state.contacts.map(({ contactId, loanId, at, madeOn, channel, party, direction, connected, outcome, address, personReached, timeZones, violations }) => ({
        contactId,
        loanId,
        at,
        madeOn,
        channel,
        party,
        direction,
        connected,
        outcome,
        address: address ?? null,
        personReached: personReached ?? null,
        timeZones: [...(timeZones ?? [])],
        violations: violations.map(({ rule, message, restrictionId, foundWith }) => ({ rule, message, restrictionId, foundWith })),
      })),
      restrictions: state.restrictions.map(({ restrictionId, kind, channel, requestedAt }) => ({
        restrictionId,
        kind,
        channel: channel ?? null,
        requestedAt,
        effectiveAt: requestedAt,
      })),
    };
  }
}
