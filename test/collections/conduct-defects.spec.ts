import type { CollectionCommand, RecordCollectionContact } from '../../src/collections/domain/collection-commands.js';
import { collectionDecider } from '../../src/collections/domain/collection-decider.js';
import type { CollectionEvent, CollectionContactRecordedData, ContactViolationFoundData } from '../../src/collections/domain/collection-events.js';
import type { CollectionState } from '../../src/collections/domain/collection-state.js';
import { CONDUCT_POLICY_PRESETS, type ConductPolicy } from '../../src/policies/conduct-policy.js';
import type { ProposedContact } from '../../src/collections/domain/contact-record.js';
import { judgeContact, nextAllowedAt } from '../../src/collections/domain/judge-contact.js';
import { ConductPolicies } from '../../src/config/conduct-policy.provider.js';
import { loadConfig } from '../../src/config/app-config.js';

/**
 * Issue 28: the conduct rules as a regulator reads them. Each case is a sequence a new user
 * sent to the landed engine; the borrower B1 has loans in the zones given.
 */
const NEW_YORK = 'America/New_York';
const LOS_ANGELES = 'America/Los_Angeles';
const SHANGHAI = 'Asia/Shanghai';

let next = 0;
const contact = (at: string, overrides: Partial<RecordCollectionContact> & { timeZone?: string } = {}): RecordCollectionContact => {
  const { timeZone = SHANGHAI, ...rest } = overrides;
  return {
    kind: 'record-contact',
    borrowerId: 'B1',
    contactId: `C${++next}`,
    loan: { loanId: 'L1', borrowerId: 'B1', currency: timeZone === SHANGHAI ? 'CNY' : 'USD', timeZone },
    at,
    channel: 'phone',
    party: 'borrower',
    direction: 'outbound',
    connected: true,
    outcome: 'reached',
    borrowerTimeZones: [],
    agentId: 'agent-7',
    note: '',
    promise: undefined,
    policy: timeZone === SHANGHAI ? CONDUCT_POLICY_PRESETS.cn : CONDUCT_POLICY_PRESETS.us,
    ...rest,
  };
};

/** Records the commands in order; returns the events, the state, and each contact's rules (as recorded and as found later). */
function record(...commands: CollectionCommand[]) {
  const events: CollectionEvent[] = [];
  let state: CollectionState = collectionDecider.initialState();
  for (const command of commands) {
    const decided = collectionDecider.decide(command, state);
    events.push(...decided);
    state = decided.reduce(collectionDecider.evolve, state);
  }
  const rulesOf = (contactId: string) => state.contacts.find((c) => c.contactId === contactId)!.violations.map((v) => v.rule);
  return { events, state, rulesOf };
}

/** Asks as a dialer would, after the recorded contacts. */
function permission(state: CollectionState, proposed: ProposedContact, timeZones: string[], policy: ConductPolicy) {
  const record = state.contacts.map((c) => ({ ...c, timeZones: c.timeZones ?? timeZones }));
  const context = { policy, restrictions: state.restrictions };
  return { rules: judgeContact(proposed, timeZones, record, context).map((v) => v.rule), nextAllowedAt: nextAllowedAt(proposed, timeZones, record, context) };
}

const call = (at: string, overrides: Partial<ProposedContact> = {}): ProposedContact => ({ loanId: 'L1', at, channel: 'phone', party: 'borrower', ...overrides });

describe('issue 28 defects', () => {
  it('1. us: a conversation the borrower starts begins the seven days, its date being day one', () => {
    const inbound = contact('2025-08-13T11:00:00-04:00', { timeZone: NEW_YORK, direction: 'inbound' });
    const { rulesOf } = record(inbound, contact('2025-08-14T10:00:00-04:00', { timeZone: NEW_YORK, contactId: 'C-OUT' }));
    expect(rulesOf('C-OUT')).toEqual(['call-after-conversation']);
    expect(permission(record(inbound).state, call('2025-08-14T10:00:00-04:00'), [NEW_YORK], CONDUCT_POLICY_PRESETS.us)).toEqual({
      rules: ['call-after-conversation'],
      nextAllowedAt: '2025-08-20T08:00:00-04:00',
    });
  });

  it('2. contacts at the same instant count against each other', () => {
    const five = Array.from({ length: 5 }, (_, i) => contact('2025-06-02T10:00:00+08:00', { contactId: `SAME-${i + 1}` }));
    const cn = record(...five);
    expect(five.map((c) => cn.rulesOf(c.contactId))).toEqual([[], [], [], ['daily-connected-call-limit'], ['daily-connected-call-limit']]);
    const eight = Array.from({ length: 8 }, (_, i) =>
      contact('2025-06-02T10:00:00-04:00', { timeZone: NEW_YORK, contactId: `US-${i + 1}`, connected: false, outcome: 'no-answer' }),
    );
    const us = record(...eight);
    expect(us.rulesOf('US-7')).toEqual([]);
    expect(us.rulesOf('US-8')).toEqual(['rolling-call-attempt-limit']);
    expect(permission(us.state, call('2025-06-02T10:00:00-04:00'), [NEW_YORK], CONDUCT_POLICY_PRESETS.us).rules).toEqual(['rolling-call-attempt-limit']);
  });

  it('3. a borrower with loans in two time zones is judged in both', () => {
    const both = [NEW_YORK, LOS_ANGELES];
    // 08:30 in New York is 05:30 in Los Angeles; 19:30 in Los Angeles is 22:30 in New York.
    expect(permission(record().state, call('2025-06-02T08:30:00-04:00'), both, CONDUCT_POLICY_PRESETS.us).rules).toEqual(['quiet-hours']);
    expect(permission(record().state, call('2025-06-02T19:30:00-07:00', { loanId: 'L2' }), both, CONDUCT_POLICY_PRESETS.us).rules).toEqual(['quiet-hours']);
    expect(permission(record().state, call('2025-06-02T12:00:00-04:00'), both, CONDUCT_POLICY_PRESETS.us).rules).toEqual([]);
    const { rulesOf } = record(contact('2025-06-02T08:30:00-04:00', { timeZone: NEW_YORK, contactId: 'V1', borrowerTimeZones: [LOS_ANGELES] }));
    expect(rulesOf('V1')).toEqual(['quiet-hours']);
  });

  it('3. and the borrower\'s own time zone, with its history of changes', () => {
    const moved = { kind: 'record-time-zone', timeZone: LOS_ANGELES, from: '2025-06-10T00:00:00Z' } as const;
    const { rulesOf, events } = record(
      moved,
      contact('2025-06-09T08:30:00-04:00', { timeZone: NEW_YORK, contactId: 'BEFORE', connected: false, outcome: 'no-answer' }),
      contact('2025-06-11T08:30:00-04:00', { timeZone: NEW_YORK, contactId: 'AFTER', connected: false, outcome: 'no-answer' }),
    );
    expect([rulesOf('BEFORE'), rulesOf('AFTER')]).toEqual([[], ['quiet-hours']]);
    expect((events.at(-1)!.data as CollectionContactRecordedData).borrowerTimeZones).toEqual([NEW_YORK, LOS_ANGELES]);
  });

  it('4. cn: an inbound call from the borrower reaches them, so third parties are not for now', () => {
    const { state, rulesOf } = record(
      contact('2025-06-02T10:10:00+08:00', { connected: false, outcome: 'no-answer' }),
      contact('2025-06-02T10:20:00+08:00', { direction: 'inbound' }),
      contact('2025-06-02T10:30:00+08:00', { party: 'emergency-contact', personReached: 'Zhang San', contactId: 'THIRD' }),
    );
    expect(rulesOf('THIRD')).toEqual(['third-party-contact']);
    expect(permission(state, call('2025-06-02T10:30:00+08:00', { party: 'third-party' }), [SHANGHAI], CONDUCT_POLICY_PRESETS.cn).rules).toEqual(['third-party-contact']);
  });

  it('5. cn: a third-party block that time alone lifts says when', () => {
    const { state } = record(contact('2025-06-02T10:00:00+08:00'), contact('2025-06-04T10:00:00+08:00', { connected: false, outcome: 'no-answer' }));
    expect(permission(state, call('2025-06-05T10:00:00+08:00', { party: 'third-party' }), [SHANGHAI], CONDUCT_POLICY_PRESETS.cn)).toEqual({
      rules: ['third-party-contact'],
      // The reach on 06-02 is day one; the eighth day starts at midnight and quiet hours end at 08:00.
      nextAllowedAt: '2025-06-09T08:00:00+08:00',
    });
    expect(permission(state, call('2025-06-09T10:00:00+08:00', { party: 'third-party' }), [SHANGHAI], CONDUCT_POLICY_PRESETS.cn).rules).toEqual([]);
  });

  it('6. us: third parties for location information only, and once each unless asked or the answer is believed wrong', () => {
    const us = { timeZone: NEW_YORK, party: 'third-party' as const, personReached: 'Pat Doe' };
    const { rulesOf } = record(
      contact('2025-06-02T10:00:00-04:00', { ...us, outcome: 'dispute', contactId: 'DISPUTE' }),
      contact('2025-06-03T10:00:00-04:00', { ...us, contactId: 'AGAIN' }),
      contact('2025-06-04T10:00:00-04:00', { ...us, contactId: 'ASKED', repeatReason: 'requested-by-third-party' }),
      contact('2025-06-04T11:00:00-04:00', { ...us, personReached: 'Sam Roe', purpose: 'other', contactId: 'OTHER' }),
    );
    expect(rulesOf('DISPUTE')).toEqual(['third-party-location-only']);
    expect(rulesOf('AGAIN')).toEqual(['third-party-repeat']);
    expect(rulesOf('ASKED')).toEqual([]);
    expect(rulesOf('OTHER')).toEqual(['third-party-location-only']);
  });

  it('7. overrides are per preset: a cn setting never relaxes us', () => {
    const policies = new ConductPolicies(loadConfig({ CONDUCT_POLICY_OVERRIDES: '{"cn":{"quietHours":{"start":"21:00","end":"08:00"}}}' }));
    expect(policies.forCurrency('USD')).toBe(CONDUCT_POLICY_PRESETS.us);
    expect(policies.forCurrency('CNY').quietHours).toEqual({ start: '21:00', end: '08:00' });
    expect(() => loadConfig({ CONDUCT_POLICY_OVERRIDES: '{"quietHours":{"start":"22:00","end":"08:00"}}' })).toThrow(/not a conduct preset/);
  });
});

describe('issue 28 decisions', () => {
  it('cn: unanswered attempts are counted per number, connected calls per person', () => {
    const emergency = Array.from({ length: 6 }, (_, i) =>
      contact(`2025-06-02T1${i}:00:00+08:00`, { party: 'emergency-contact', personReached: 'Li Si', address: '+8613900000000', connected: false, outcome: 'no-answer' }),
    );
    const { rulesOf } = record(
      contact('2025-06-02T09:00:00+08:00', { connected: false, outcome: 'no-answer' }),
      ...emergency,
      contact('2025-06-02T16:30:00+08:00', { connected: false, outcome: 'no-answer', contactId: 'BORROWER', address: '+8613800000000' }),
      contact('2025-06-02T17:00:00+08:00', { party: 'emergency-contact', personReached: 'Li Si', address: '+8613900000000', connected: false, outcome: 'no-answer', contactId: 'SEVENTH' }),
    );
    expect(rulesOf('BORROWER')).toEqual([]);
    expect(rulesOf('SEVENTH')).toEqual(['daily-unanswered-attempt-limit']);
  });

  it('us: calls to third parties do not count toward the seven, and a wrong party answering is no conversation', () => {
    const thirdParty = Array.from({ length: 7 }, (_, i) =>
      contact(`2025-06-0${i + 1}T10:00:00-04:00`, { timeZone: NEW_YORK, party: 'third-party', personReached: `P${i}`, connected: false, outcome: 'no-answer' }),
    );
    const { rulesOf } = record(
      ...thirdParty,
      contact('2025-06-08T10:00:00-04:00', { timeZone: NEW_YORK, outcome: 'wrong-party' }),
      contact('2025-06-08T11:00:00-04:00', { timeZone: NEW_YORK, contactId: 'TO-BORROWER', connected: false, outcome: 'no-answer' }),
    );
    expect(rulesOf('TO-BORROWER')).toEqual([]);
  });

  it('us: seven days are calendar days in the borrower\'s zone, across the fall-back week', () => {
    // A conversation on Monday 2025-10-27 (EDT): days one to seven end on Sunday 11-02, when clocks fall back.
    const { state } = record(contact('2025-10-27T10:00:00-04:00', { timeZone: NEW_YORK }));
    expect(permission(state, call('2025-11-02T20:00:00-05:00'), [NEW_YORK], CONDUCT_POLICY_PRESETS.us).rules).toEqual(['call-after-conversation']);
    // 168 hours after the conversation would be 09:00 EST on 11-03; the eighth day starts at midnight.
    expect(permission(state, call('2025-11-03T08:30:00-05:00'), [NEW_YORK], CONDUCT_POLICY_PRESETS.us).rules).toEqual([]);
  });

  it('a contact recorded late is judged against its whole day, and makes a later one a violation with a new event', () => {
    const { events, rulesOf } = record(
      contact('2025-06-02T10:00:00+08:00'),
      contact('2025-06-02T11:00:00+08:00'),
      contact('2025-06-02T12:00:00+08:00', { contactId: 'NOON' }),
      contact('2025-06-02T09:00:00+08:00', { contactId: 'LATE' }),
    );
    expect(rulesOf('LATE')).toEqual([]);
    expect(rulesOf('NOON')).toEqual(['daily-connected-call-limit']);
    const found = events.at(-1)!;
    expect(found.type).toBe('ContactViolationFound');
    expect(found.data as ContactViolationFoundData).toMatchObject({ contactId: 'NOON', rule: 'daily-connected-call-limit', restrictionId: null, foundWith: 'LATE' });
  });
});
