import type { CollectionEvent } from './collection-events.js';
import type { ContactRecord, ContactRestriction } from './contact-record.js';

export interface CollectionState {
  readonly contacts: readonly ContactRecord[];
  readonly restrictions: readonly ContactRestriction[];
}

export const initialCollectionState = (): CollectionState => ({ contacts: [], restrictions: [] });

export function evolveCollection(state: CollectionState, event: CollectionEvent): CollectionState {
  switch (event.type) {
    case 'CollectionContactRecorded': {
      const { contactId, loanId, at, channel, party, direction, connected, outcome } = event.data;
      return { ...state, contacts: [...state.contacts, { contactId, loanId, at, channel, party, direction, connected, outcome }] };
    }
    case 'ContactRestrictionRecorded': {
      const { restrictionId, kind, channel, effectiveAt } = event.data;
      return { ...state, restrictions: [...state.restrictions, { restrictionId, kind, channel, effectiveAt }] };
    }
  }
}
