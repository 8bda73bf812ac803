import type { RecordCollectionContact, RecordContactRestriction } from '../../src/collections/domain/collection-commands.js';
import { collectionDecider } from '../../src/collections/domain/collection-decider.js';
import type { CollectionEvent, CollectionContactRecordedData } from '../../src/collections/domain/collection-events.js';
import { CONDUCT_POLICY_PRESETS } from '../../src/policies/conduct-policy.js';
import { given } from '../support/decider-spec.js';

const contact = (overrides: Partial<RecordCollectionContact> = {}): RecordCollectionContact => ({
  kind: 'record-contact',
  borrowerId: 'B1',
  contactId: 'C1',
  loan: { loanId: 'L1', borrowerId: 'B1', currency: 'CNY', timeZone: 'Asia/Shanghai' },
  at: '2026-03-02T10:00:00+08:00',
  channel: 'phone',
  party: 'borrower',
  direction: 'outbound',
  connected: true,
  outcome: 'reached',
  agentId: 'agent-7',
  note: 'spoke to borrower',
  promise: undefined,
  borrowerTimeZones: [],
  policy: CONDUCT_POLICY_PRESETS.cn,
  ...overrides,
});
const recorded = (...commands: RecordCollectionContact[]): CollectionEvent[] => {
  const events: CollectionEvent[] = [];
  for (const command of commands) events.push(...given(collectionDecider, events).when(command).then(() => undefined));
  return events;
};
const data = (events: readonly CollectionEvent[]) => events[0]!.data as CollectionContactRecordedData;

describe('collection decider', () => {
  it('records a lawful contact with no violations and the policy it was judged under', () => {
    given(collectionDecider, []).when(contact()).then([
      {
        type: 'CollectionContactRecorded',
        data: {
          contactId: 'C1',
          loanId: 'L1',
          at: '2026-03-02T10:00:00+08:00',
          channel: 'phone',
          party: 'borrower',
          direction: 'outbound',
          connected: true,
          outcome: 'reached',
          agentId: 'agent-7',
          note: 'spoke to borrower',
          promise: null,
          madeOn: '2026-03-02',
          borrowerTimeZones: ['Asia/Shanghai'],
          policy: 'cn',
          violations: [],
        },
      },
    ]);
  });

  it('records a contact that broke rules, naming each rule on the event', () => {
    const events = given(collectionDecider, []).when(contact({ at: '2026-03-02T23:00:00+08:00' })).then(() => undefined);
    expect(data(events).violations).toEqual([{ rule: 'quiet-hours', message: expect.stringContaining('23:00') }]);
  });

  it('counts the borrower\'s contacts about all loans against the daily limit', () => {
    const history = recorded(
      contact({ contactId: 'C1', at: '2026-03-02T09:00:00+08:00' }),
      contact({ contactId: 'C2', at: '2026-03-02T10:00:00+08:00', loan: { loanId: 'L2', borrowerId: 'B1', currency: 'CNY', timeZone: 'Asia/Shanghai' } }),
      contact({ contactId: 'C3', at: '2026-03-02T11:00:00+08:00' }),
    );
    const fourth = given(collectionDecider, history).when(contact({ contactId: 'C4', at: '2026-03-02T12:00:00+08:00' })).then(() => undefined);
    expect(data(fourth).violations.map((v) => v.rule)).toEqual(['daily-connected-call-limit']);
  });

  it('never judges an inbound contact', () => {
    const events = given(collectionDecider, []).when(contact({ direction: 'inbound', at: '2026-03-02T23:30:00+08:00' })).then(() => undefined);
    expect(data(events).violations).toEqual([]);
  });

  it('blocks later outbound contact on a channel the borrower opted out of, keeping the violation', () => {
    const history = given(collectionDecider, []).when({
      kind: 'record-restriction',
      restrictionId: 'R1',
      restriction: 'channel-opt-out',
      channel: 'sms',
      requestedAt: '2026-03-02T09:00:00+08:00',
      reason: 'borrower request by phone',
    }).then(() => undefined);
    const events = given(collectionDecider, history).when(contact({ channel: 'sms' })).then(() => undefined);
    expect(data(events).violations.map((v) => v.rule)).toEqual(['channel-opt-out']);
  });

  it('records a promise to pay in the loan\'s currency', () => {
    const events = given(collectionDecider, []).when(contact({ outcome: 'promise-to-pay', promise: { amount: '1100.16', dueOn: '2026-03-05' } })).then(() => undefined);
    expect(data(events).promise).toEqual({ amount: 110_016, currency: 'CNY', dueOn: '2026-03-05' });
  });

  // A contact (or a stop request) later than now is refused by the shell (FutureDateGuard), which has the clock.
  it('refuses a contact about another borrower\'s loan, or with a malformed promise', () => {
    given(collectionDecider, []).when(contact({ loan: { loanId: 'L9', borrowerId: 'B2', currency: 'CNY', timeZone: 'Asia/Shanghai' } })).thenRejects('CONTACT.LOAN_OF_ANOTHER_BORROWER', 'rule-violation');
    given(collectionDecider, []).when(contact({ outcome: 'promise-to-pay' })).thenRejects('REQUEST.INVALID', 'validation');
    given(collectionDecider, []).when(contact({ promise: { amount: '1.00', dueOn: '2026-03-05' } })).thenRejects('REQUEST.INVALID');
    given(collectionDecider, []).when(contact({ outcome: 'promise-to-pay', promise: { amount: '1.001', dueOn: '2026-03-05' } })).thenRejects('REQUEST.INVALID');
    given(collectionDecider, []).when(contact({ outcome: 'promise-to-pay', promise: { amount: '1.00', dueOn: '2026-03-01' } })).thenRejects('REQUEST.INVALID');
    given(collectionDecider, recorded(contact())).when(contact()).thenRejects('CONTACT.DUPLICATE_ID');
  });

  describe('stop requests honoured from when the borrower asked', () => {
    const restriction = (overrides: Partial<RecordContactRestriction> = {}): RecordContactRestriction => ({
      kind: 'record-restriction',
      restrictionId: 'R1',
      restriction: 'cease-all',
      channel: undefined,
      requestedAt: '2026-03-02T10:00:00+08:00',
      reason: 'said on the call at 10:00, keyed in at 10:05',
      ...overrides,
    });

    it('finds a contact already recorded after requestedAt in violation, naming the contact, the restriction and the rule', () => {
      const history = recorded(
        contact({ contactId: 'C1', at: '2026-03-02T09:59:59+08:00' }),
        contact({ contactId: 'C2', at: '2026-03-02T10:03:00+08:00', channel: 'sms', connected: false, outcome: 'no-answer' }),
      );
      const events = given(collectionDecider, history)
        .when(restriction())
        .then([
          {
            type: 'ContactRestrictionRecorded',
            data: { restrictionId: 'R1', kind: 'cease-all', channel: undefined, requestedAt: '2026-03-02T10:00:00+08:00', reason: 'said on the call at 10:00, keyed in at 10:05' },
          },
          {
            type: 'ContactViolationFound',
            data: {
              contactId: 'C2',
              loanId: 'L1',
              at: '2026-03-02T10:03:00+08:00',
              madeOn: '2026-03-02',
              channel: 'sms',
              party: 'borrower',
              restrictionId: 'R1',
              rule: 'cease-communication',
              message: 'The borrower asked for all contact to cease from 2026-03-02T10:00:00+08:00',
            },
          },
        ]);
      const state = given(collectionDecider, [...history, ...events]).state;
      expect(state.contacts.map((c) => [c.contactId, c.violations])).toEqual([
        ['C1', []],
        ['C2', [{ rule: 'cease-communication', message: expect.any(String), restrictionId: 'R1', foundWith: null }]],
      ]);
    });

    it('honours requestedAt itself, on the opted-out channel only, and never for inbound contacts', () => {
      const history = recorded(
        contact({ contactId: 'C1', at: '2026-03-02T10:00:00+08:00', channel: 'sms' }),
        contact({ contactId: 'C2', at: '2026-03-02T10:01:00+08:00', channel: 'phone' }),
        contact({ contactId: 'C3', at: '2026-03-02T10:02:00+08:00', channel: 'sms', direction: 'inbound' }),
      );
      given(collectionDecider, history)
        .when(restriction({ restriction: 'channel-opt-out', channel: 'sms' }))
        .then((events) => expect(events.map((e) => [e.type, (e.data as { contactId?: string }).contactId])).toEqual([
          ['ContactRestrictionRecorded', undefined],
          ['ContactViolationFound', 'C1'],
        ]));
    });

    it('does not count a contact twice for a rule it is already known to have broken', () => {
      const first = given(collectionDecider, []).when(restriction({ requestedAt: '2026-03-02T09:00:00+08:00' })).then(() => undefined);
      const history = [...first, ...given(collectionDecider, first).when(contact({ at: '2026-03-02T11:00:00+08:00' })).then(() => undefined)];
      expect(data(history.slice(1)).violations.map((v) => v.rule)).toEqual(['cease-communication']);
      given(collectionDecider, history)
        .when(restriction({ restrictionId: 'R2', requestedAt: '2026-03-02T08:00:00+08:00' }))
        .then((events) => expect(events.map((e) => e.type)).toEqual(['ContactRestrictionRecorded']));
      // A different rule is a different violation.
      given(collectionDecider, history)
        .when(restriction({ restrictionId: 'R2', restriction: 'channel-opt-out', channel: 'phone', requestedAt: '2026-03-02T08:00:00+08:00' }))
        .then((events) => expect(events.map((e) => e.type)).toEqual(['ContactRestrictionRecorded', 'ContactViolationFound']));
    });

    it('judges a contact recorded after the restriction from requestedAt, not from when the restriction was recorded', () => {
      const history = given(collectionDecider, []).when(restriction()).then(() => undefined);
      expect(data(given(collectionDecider, history).when(contact({ at: '2026-03-02T10:02:00+08:00' })).then(() => undefined)).violations.map((v) => v.rule)).toEqual([
        'cease-communication',
      ]);
      expect(data(given(collectionDecider, history).when(contact({ at: '2026-03-02T09:58:00+08:00' })).then(() => undefined)).violations).toEqual([]);
    });

    it('refuses a restriction id used before, and a channel without a channel opt-out', () => {
      given(collectionDecider, given(collectionDecider, []).when(restriction()).then(() => undefined)).when(restriction()).thenRejects('RESTRICTION.DUPLICATE_ID');
      given(collectionDecider, []).when(restriction({ channel: 'sms' })).thenRejects('REQUEST.INVALID', 'validation');
    });
  });

  describe('promises to pay, at close of business', () => {
    const promised = () => recorded(contact({ outcome: 'promise-to-pay', promise: { amount: '1000.00', dueOn: '2026-03-05' } }));
    const settle = (businessDate: string, payments: { receivedOn: string; amount: number; reversed?: boolean; loanId?: string }[]) => ({
      kind: 'settle-promises' as const,
      businessDate,
      payments: payments.map((p) => ({ loanId: 'L1', reversed: false, ...p })),
    });

    it('keeps a promise once payments from its day through its due date cover it, dated by the covering payment', () => {
      given(collectionDecider, promised())
        .when(settle('2026-03-06', [{ receivedOn: '2026-03-03', amount: 40_000 }, { receivedOn: '2026-03-04', amount: 60_000 }]))
        .then([{ type: 'PromiseToPayKept', data: { promiseId: 'C1', loanId: 'L1', keptOn: '2026-03-04', paid: 100_000 } }]);
    });

    it('leaves a promise open until its due date has passed, then breaks it the day after', () => {
      const partly = [{ receivedOn: '2026-03-03', amount: 40_000 }];
      given(collectionDecider, promised()).when(settle('2026-03-05', partly)).then([]);
      given(collectionDecider, promised())
        .when(settle('2026-03-09', partly))
        .then([{ type: 'PromiseToPayBroken', data: { promiseId: 'C1', loanId: 'L1', dueOn: '2026-03-05', brokenOn: '2026-03-06', promised: 100_000, paid: 40_000 } }]);
    });

    it('counts no reversed payment, none before the promise, after its due date or on another loan', () => {
      given(collectionDecider, promised())
        .when(
          settle('2026-03-09', [
            { receivedOn: '2026-03-01', amount: 100_000 },
            { receivedOn: '2026-03-03', amount: 100_000, reversed: true },
            { receivedOn: '2026-03-06', amount: 100_000 },
            { receivedOn: '2026-03-04', amount: 100_000, loanId: 'L2' },
          ]),
        )
        .then((events) => expect(events.map((e) => e.type)).toEqual(['PromiseToPayBroken']));
    });

    it('settles a promise once', () => {
      const broken = given(collectionDecider, promised()).when(settle('2026-03-09', [])).then(() => undefined);
      given(collectionDecider, [...promised(), ...broken]).when(settle('2026-03-10', [{ receivedOn: '2026-03-04', amount: 100_000 }])).then([]);
    });
  });
});
