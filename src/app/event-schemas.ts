import { COLLECTION_EVENT_UPCASTERS } from '../collections/domain/collection-event-upcasters.js';
import { EventUpcasters } from '../kernel/event-store/event-upcasters.js';
import { LOAN_EVENT_UPCASTERS } from '../loans/domain/loan-event-upcasters.js';

/** Every event type's upcasters: the versions events are written in today, and how older ones are read. */
export const EVENT_SCHEMAS = new EventUpcasters([...LOAN_EVENT_UPCASTERS, ...COLLECTION_EVENT_UPCASTERS]);
