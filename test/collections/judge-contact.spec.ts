import type { ContactRecord, ContactRestriction, ProposedContact } from '../../src/collections/domain/contact-record.js';
import { CONDUCT_POLICY_PRESETS, type ConductPolicy } from '../../src/policies/conduct-policy.js';
import { type ConductContext, type JudgedContact, judgeContact, nextAllowedAt } from '../../src/collections/domain/judge-contact.js';

/** The borrower's record, the zones they may be in, and the policy with their stop requests. */
interface Judging {
  readonly context: ConductContext;
  readonly timeZones: readonly string[];
  readonly record: readonly JudgedContact[];
}
const judging = (policy: ConductPolicy, timeZones: string[], history: ContactRecord[], restrictions: ContactRestriction[]): Judging => ({
  context: { policy, restrictions },
  timeZones,
  record: history.map((h) => ({ ...h, timeZones })),
});
const cn = (history: ContactRecord[] = [], restrictions: ContactRestriction[] = []) => judging(CONDUCT_POLICY_PRESETS.cn, ['Asia/Shanghai'], history, restrictions);
const us = (history: ContactRecord[] = [], restrictions: ContactRestriction[] = []) => judging(CONDUCT_POLICY_PRESETS.us, ['America/New_York'], history, restrictions);
const next = (contact: ProposedContact, { context, timeZones, record }: Judging) => nextAllowedAt(contact, timeZones, record, context);
const call = (at: string, overrides: Partial<ProposedContact> = {}): ProposedContact => ({ loanId: 'L1', at, channel: 'phone', party: 'borrower', ...overrides });
let n = 0;
const made = (at: string, overrides: Partial<ContactRecord> = {}): ContactRecord => ({
  contactId: `C${n++}`,
  loanId: 'L1',
  at,
  channel: 'phone',
  party: 'borrower',
  direction: 'outbound',
  connected: true,
  outcome: 'reached',
  ...overrides,
});
const rules = (contact: ProposedContact, { context, timeZones, record }: Judging) => judgeContact(contact, timeZones, record, context).map((v) => v.rule);

describe('conduct rules', () => {
  describe('quiet hours, in the borrower\'s time zone', () => {
    it('cn: 21:59 allowed, 22:00 refused, 07:59 refused, 08:00 allowed', () => {
      expect(rules(call('2026-03-02T21:59:00+08:00'), cn())).toEqual([]);
      expect(rules(call('2026-03-02T22:00:00+08:00'), cn())).toEqual(['quiet-hours']);
      expect(rules(call('2026-03-03T07:59:00+08:00'), cn())).toEqual(['quiet-hours']);
      expect(rules(call('2026-03-03T08:00:00+08:00'), cn())).toEqual([]);
      // 22:30 in Shanghai, written in UTC.
      expect(rules(call('2026-03-02T14:30:00Z'), cn())).toEqual(['quiet-hours']);
    });

    it('us: 20:59 allowed, 21:00 refused, 08:00 allowed', () => {
      expect(rules(call('2026-03-02T20:59:00-05:00'), us())).toEqual([]);
      expect(rules(call('2026-03-02T21:00:00-05:00'), us())).toEqual(['quiet-hours']);
      expect(rules(call('2026-03-03T07:59:59-05:00'), us())).toEqual(['quiet-hours']);
      expect(rules(call('2026-03-03T08:00:00-05:00'), us())).toEqual([]);
    });

    it('gives the end of the quiet hours as the next allowed instant', () => {
      expect(next(call('2026-03-02T22:00:00+08:00'), cn())).toBe('2026-03-03T08:00:00+08:00');
      expect(next(call('2026-03-03T06:00:00+08:00'), cn())).toBe('2026-03-03T08:00:00+08:00');
      expect(next(call('2026-03-03T09:00:00+08:00'), cn())).toBe('2026-03-03T09:00:00+08:00');
    });
  });

  describe('cn daily limits per debtor', () => {
    it('allows three connected calls a day and refuses a fourth until the next morning', () => {
      const three = ['09:00', '10:00', '11:00'].map((t) => made(`2026-03-02T${t}:00+08:00`, { loanId: t === '10:00' ? 'L2' : 'L1' }));
      expect(rules(call('2026-03-02T12:00:00+08:00', { connected: true }), cn(three.slice(0, 2)))).toEqual([]);
      expect(rules(call('2026-03-02T12:00:00+08:00', { connected: true }), cn(three))).toEqual(['daily-connected-call-limit']);
      expect(next(call('2026-03-02T12:00:00+08:00'), cn(three))).toBe('2026-03-03T08:00:00+08:00');
      // An unanswered attempt does not count against the connected-call limit.
      expect(rules(call('2026-03-02T12:00:00+08:00', { connected: false }), cn(three))).toEqual([]);
    });

    it('allows six unanswered attempts a day and flags a seventh', () => {
      const six = [9, 10, 11, 12, 13, 14].map((h) => made(`2026-03-02T${String(h).padStart(2, '0')}:00:00+08:00`, { connected: false, outcome: 'no-answer' }));
      expect(rules(call('2026-03-02T15:00:00+08:00', { connected: false }), cn(six.slice(0, 5)))).toEqual([]);
      expect(rules(call('2026-03-02T15:00:00+08:00', { connected: false }), cn(six))).toEqual(['daily-unanswered-attempt-limit']);
      expect(rules(call('2026-03-03T09:00:00+08:00', { connected: false }), cn(six))).toEqual([]);
    });

    it('never counts inbound contacts', () => {
      const inbound = [9, 10, 11, 12].map((h) => made(`2026-03-02T${String(h).padStart(2, '0')}:00:00+08:00`, { direction: 'inbound' }));
      expect(rules(call('2026-03-02T15:00:00+08:00', { connected: true }), cn(inbound))).toEqual([]);
    });
  });

  describe('us rolling window and conversations (Regulation F)', () => {
    it('allows 7 call attempts about a debt in 7 days and flags the 8th until the oldest leaves the window', () => {
      const seven = [1, 2, 3, 4, 5, 6, 7].map((d) => made(`2026-03-0${d}T10:00:00-05:00`, { connected: false, outcome: 'no-answer' }));
      expect(rules(call('2026-03-07T15:00:00-05:00'), us(seven.slice(0, 6)))).toEqual([]);
      expect(rules(call('2026-03-07T15:00:00-05:00'), us(seven))).toEqual(['rolling-call-attempt-limit']);
      // Seven calendar days in the borrower's zone: the 1st leaves the window when the 8th begins (at 08:00, after quiet hours).
      expect(next(call('2026-03-07T15:00:00-05:00'), us(seven))).toBe('2026-03-08T08:00:00-04:00');
      expect(rules(call('2026-03-07T15:00:00-05:00', { loanId: 'L2' }), us(seven))).toEqual([]);
    });

    it('flags a call within 7 days after a telephone conversation about the same debt', () => {
      const talked = [made('2026-03-02T10:00:00-05:00', { connected: true })];
      expect(rules(call('2026-03-08T10:00:00-05:00'), us(talked))).toEqual(['call-after-conversation']);
      expect(rules(call('2026-03-09T11:00:00-04:00'), us(talked))).toEqual([]);
      expect(rules(call('2026-03-04T10:00:00-05:00', { channel: 'email' }), us(talked))).toEqual([]);
    });
  });

  describe('stop requests', () => {
    it('a cease request blocks every later outbound contact, and nothing but the borrower lifts it', () => {
      const cease: ContactRestriction = { restrictionId: 'R1', kind: 'cease-all', channel: undefined, requestedAt: '2026-03-02T12:00:00+08:00' };
      expect(rules(call('2026-03-02T11:59:00+08:00'), cn([], [cease]))).toEqual([]);
      expect(rules(call('2026-03-02T12:00:00+08:00', { channel: 'email' }), cn([], [cease]))).toEqual(['cease-communication']);
      expect(next(call('2026-03-02T13:00:00+08:00'), cn([], [cease]))).toBeUndefined();
    });

    it('a channel opt-out blocks that channel only', () => {
      const optOut: ContactRestriction = { restrictionId: 'R1', kind: 'channel-opt-out', channel: 'sms', requestedAt: '2026-03-02T12:00:00+08:00' };
      expect(rules(call('2026-03-02T13:00:00+08:00', { channel: 'sms' }), cn([], [optOut]))).toEqual(['channel-opt-out']);
      expect(rules(call('2026-03-02T13:00:00+08:00'), cn([], [optOut]))).toEqual([]);
    });
  });

  it('cn: contacts a third party only when the borrower has been unreachable', () => {
    const thirdParty = call('2026-03-02T15:00:00+08:00', { party: 'emergency-contact' });
    expect(rules(thirdParty, cn())).toEqual(['third-party-contact']);
    expect(rules(thirdParty, cn([made('2026-03-02T10:00:00+08:00', { connected: true })]))).toEqual(['third-party-contact']);
    expect(rules(thirdParty, cn([made('2026-03-02T10:00:00+08:00', { connected: false, outcome: 'no-answer' })]))).toEqual([]);
    expect(rules({ ...thirdParty, party: 'guarantor' }, cn())).toEqual([]);
  });
});
