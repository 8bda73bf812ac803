import { COLLECTION_EVENT_UPCASTERS } from '../../src/collections/domain/collection-event-upcasters.js';
import { collectionDecider } from '../../src/collections/domain/collection-decider.js';
import type { CollectionEvent, ContactRestrictionRecordedData } from '../../src/collections/domain/collection-events.js';
import { EventUpcasters } from '../../src/kernel/event-store/event-upcasters.js';
import { EVENT_SCHEMAS } from '../../src/app/event-schemas.js';

describe('collection event upcasters', () => {
  const upcasters = new EventUpcasters(COLLECTION_EVENT_UPCASTERS);
  const v1 = { restrictionId: 'R1', kind: 'cease-all', effectiveAt: '2026-03-02T10:05:00+08:00', reason: 'asked on a call' };

  it('reads a version 1 restriction as requested at its effectiveAt, the instant it was honoured from', () => {
    expect(upcasters.upcast('ContactRestrictionRecorded', 1, v1)).toEqual({
      restrictionId: 'R1',
      kind: 'cease-all',
      requestedAt: '2026-03-02T10:05:00+08:00',
      reason: 'asked on a call',
    });
    const data = upcasters.upcast('ContactRestrictionRecorded', 1, v1) as ContactRestrictionRecordedData;
    const state = collectionDecider.evolve(collectionDecider.initialState(), { type: 'ContactRestrictionRecorded', data } as CollectionEvent);
    expect(state.restrictions).toEqual([{ restrictionId: 'R1', kind: 'cease-all', channel: undefined, requestedAt: '2026-03-02T10:05:00+08:00' }]);
  });

  it('leaves version 2 as written, and the engine writes restrictions in version 2', () => {
    const v2 = { restrictionId: 'R1', kind: 'cease-all', requestedAt: '2026-03-02T10:00:00+08:00', reason: '' };
    expect(upcasters.upcast('ContactRestrictionRecorded', 2, v2)).toBe(v2);
    expect(EVENT_SCHEMAS.currentVersionOf('ContactRestrictionRecorded')).toBe(2);
  });
});
