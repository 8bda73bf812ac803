import type { EventUpcaster } from '../../kernel/event-store/event-upcasters.js';
import type { ContactRestrictionRecordedData } from './collection-events.js';

/**
 * ContactRestrictionRecorded version 1 carried `effectiveAt`: the instant the restriction was
 * recorded, from which it was honoured. Version 2 honours a restriction from `requestedAt`,
 * the instant the borrower asked; for a version 1 restriction the two are the same instant.
 */
const contactRestrictionRecordedV1: EventUpcaster = {
  type: 'ContactRestrictionRecorded',
  fromVersion: 1,
  upcast(data: unknown): ContactRestrictionRecordedData {
    const { effectiveAt, ...v1 } = data as Omit<ContactRestrictionRecordedData, 'requestedAt'> & { effectiveAt: string };
    return { ...v1, requestedAt: effectiveAt };
  },
};

export const COLLECTION_EVENT_UPCASTERS: readonly EventUpcaster[] = [contactRestrictionRecordedV1];
