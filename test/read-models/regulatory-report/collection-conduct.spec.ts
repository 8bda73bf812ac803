import { collectionDecider } from '../../../src/collections/domain/collection-decider.js';
import type { RecordCollectionContact } from '../../../src/collections/domain/collection-commands.js';
import type { CollectionEvent } from '../../../src/collections/domain/collection-events.js';
import { CONDUCT_POLICY_PRESETS } from '../../../src/policies/conduct-policy.js';
import { RegulatoryReportBuilder } from '../../../src/read-models/regulatory-report/regulatory-report.js';

const contact = (contactId: string, at: string): RecordCollectionContact => ({
  kind: 'record-contact',
  borrowerId: 'B1',
  contactId,
  loan: { loanId: 'L1', borrowerId: 'B1', currency: 'CNY', timeZone: 'Asia/Shanghai' },
  at,
  channel: 'phone',
  party: 'borrower',
  direction: 'outbound',
  connected: false,
  outcome: 'no-answer',
  agentId: 'agent-7',
  note: '',
  promise: undefined,
  borrowerTimeZones: [],
  policy: CONDUCT_POLICY_PRESETS.cn,
});

describe('collection conduct in the regulator report', () => {
  it('counts a violation found after the contact was recorded on the contact\'s own day', () => {
    const events: CollectionEvent[] = [];
    const decide = (command: Parameters<typeof collectionDecider.decide>[0]) =>
      events.push(...collectionDecider.decide(command, events.reduce(collectionDecider.evolve, collectionDecider.initialState())));
    decide(contact('C-FEB', '2026-02-28T10:00:00+08:00'));
    decide(contact('C-MAR', '2026-03-02T10:00:00+08:00'));
    // Asked on 2026-02-27, keyed in only in March: both contacts broke it.
    decide({ kind: 'record-restriction', restrictionId: 'R1', restriction: 'cease-all', channel: undefined, requestedAt: '2026-02-27T18:00:00+08:00', reason: '' });
    expect(events.map((e) => e.type)).toEqual([
      'CollectionContactRecorded',
      'CollectionContactRecorded',
      'ContactRestrictionRecorded',
      'ContactViolationFound',
      'ContactViolationFound',
    ]);

    const march = new RegulatoryReportBuilder('2026-03-31');
    for (const event of events) march.addCollectionEvent(event);
    expect(march.build({ closeOfBusiness: '2026-03-31', lastPosition: 0 }).collectionConduct).toEqual({
      contacts: [{ channel: 'phone', party: 'borrower', count: 1 }],
      violations: [{ rule: 'cease-communication', count: 1 }],
      violationsByPerson: [{ rule: 'cease-communication', party: 'borrower', person: 'borrower', count: 1 }],
    });
  });
});
