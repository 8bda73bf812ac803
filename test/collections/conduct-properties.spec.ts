/**
 * The engine's conduct rules against an independent judge (issue 28): conduct-judge.model.ts is
 * written from the rule texts (DESIGN.md §4, issue 28's decisions, Regulation F, the cn
 * guidelines) without reading the engine's conduct module. (a) checks the judge itself on the
 * defect sequences of issue 28; (b) runs random contact sequences through the collection
 * decider (decide + evolve) and compares, per contact, the rules the engine recorded
 * (CollectionContactRecorded.violations and every ContactViolationFound for it) with the judge's.
 *
 * CI=true runs a fixed seed; CONDUCT_SEED/CONDUCT_PATH replay a failure, CONDUCT_RUNS changes
 * the number of runs. CONDUCT_EXPLORE=N adds a test that samples N sequences, counts the
 * disagreements per rule and direction, and prints a shrunk example of each.
 */
import fc from 'fast-check';
import type { LoanForCollection, RecordCollectionContact, RecordContactRestriction } from '../../src/collections/domain/collection-commands.js';
import { collectionDecider } from '../../src/collections/domain/collection-decider.js';
import type { CollectionEvent } from '../../src/collections/domain/collection-events.js';
import type { CollectionState } from '../../src/collections/domain/collection-state.js';
import { CONDUCT_POLICY_PRESETS } from '../../src/policies/conduct-policy.js';
import type { ConductPolicy } from '../../src/policies/conduct-policy.js';
import type { ConductRule, ContactChannel, ContactOutcome, ContactParty, RepeatReason, ThirdPartyPurpose } from '../../src/collections/domain/contact-vocabulary.js';
import { instantMs, judgeConduct, localTime, type JudgeStep } from './conduct-judge.model.js';

// ---------------------------------------------------------------- building commands

const SHANGHAI = 'Asia/Shanghai';
const NEW_YORK = 'America/New_York';
const LOS_ANGELES = 'America/Los_Angeles';

const loan = (loanId: string, timeZone: string, currency: string): LoanForCollection => ({ loanId, borrowerId: 'B1', currency, timeZone });
const CN_LOAN = loan('L1', SHANGHAI, 'CNY');
const US_LOAN = loan('L1', NEW_YORK, 'USD');

/** Local date of an instant in a zone plus some days: a promise due on/after the contact's date. */
const dueAfter = (at: string, zone: string) => {
  const { day } = localTime(instantMs(at), zone);
  return new Date((day + 3) * 86_400_000).toISOString().slice(0, 10);
};

function contact(contactId: string, at: string, fields: Partial<RecordCollectionContact> = {}): RecordCollectionContact {
  const policy = fields.policy ?? CONDUCT_POLICY_PRESETS.cn;
  const theLoan = fields.loan ?? (policy.name === 'us' ? US_LOAN : CN_LOAN);
  const outcome = fields.outcome ?? (fields.connected === false ? 'no-answer' : 'reached');
  return {
    kind: 'record-contact',
    borrowerId: 'B1',
    contactId,
    loan: theLoan,
    at,
    channel: 'phone',
    party: 'borrower',
    direction: 'outbound',
    connected: outcome !== 'no-answer',
    outcome,
    borrowerTimeZones: [theLoan.timeZone],
    agentId: 'agent-1',
    note: '',
    promise: outcome === 'promise-to-pay' ? { amount: '1.00', dueOn: dueAfter(at, theLoan.timeZone) } : undefined,
    policy,
    ...fields,
  };
}

const restriction = (restrictionId: string, requestedAt: string, kind: 'cease-all' | 'channel-opt-out', channel?: ContactChannel): RecordContactRestriction => ({
  kind: 'record-restriction',
  restrictionId,
  restriction: kind,
  channel,
  requestedAt,
  reason: 'asked by the borrower',
});

const judged = (policy: ConductPolicy, steps: readonly JudgeStep[]) => {
  const answer = judgeConduct(policy, steps);
  return Object.fromEntries([...answer].map(([id, rules]) => [id, [...rules].sort()]));
};

// ---------------------------------------------------------------- (a) the judge on issue 28's sequences

describe('the conduct judge (test model) on the defect sequences of issue 28', () => {
  const us = CONDUCT_POLICY_PRESETS.us;
  const cn = CONDUCT_POLICY_PRESETS.cn;

  it('1. a conversation the borrower starts begins the seven days (us), its date being day one', () => {
    const u = (id: string, at: string, f: Partial<RecordCollectionContact> = {}) => contact(id, at, { policy: us, ...f });
    expect(
      judged(us, [
        u('IN', '2025-08-13T11:00-04:00', { direction: 'inbound' }),
        u('C1', '2025-08-14T10:00-04:00', { connected: false }),
        u('C2', '2025-08-19T20:59:59-04:00', { connected: false }),
        u('C3', '2025-08-20T08:00-04:00'),
      ]),
    ).toEqual({ IN: [], C1: ['call-after-conversation'], C2: ['call-after-conversation'], C3: [] });
  });

  it('1b. a call answered by a wrong party is no conversation; a conversation about one debt does not bar calls about another', () => {
    const L2 = loan('L2', NEW_YORK, 'USD');
    expect(
      judged(us, [
        contact('W', '2025-08-13T11:00-04:00', { policy: us, outcome: 'wrong-party' }),
        contact('C1', '2025-08-13T12:00-04:00', { policy: us }),
        contact('C2', '2025-08-13T13:00-04:00', { policy: us, loan: L2, borrowerTimeZones: [NEW_YORK] }),
        contact('C3', '2025-08-13T14:00-04:00', { policy: us }),
      ]),
    ).toEqual({ W: [], C1: [], C2: [], C3: ['call-after-conversation'] });
  });

  it('2. contacts at the same instant count against each other (cn 3 connected a day; us 7 in 7)', () => {
    const five = [1, 2, 3, 4, 5].map((n) => contact(`C${n}`, '2025-06-02T10:00:00+08:00'));
    expect(judged(cn, five)).toEqual({ C1: [], C2: [], C3: [], C4: ['daily-connected-call-limit'], C5: ['daily-connected-call-limit'] });
    const eight = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => contact(`U${n}`, '2025-06-02T10:00:00-04:00', { policy: us, connected: false }));
    const answer = judged(us, eight);
    expect(answer.U7).toEqual([]);
    expect(answer.U8).toEqual(['rolling-call-attempt-limit']);
    const sevenUnanswered = [1, 2, 3, 4, 5, 6, 7].map((n) => contact(`N${n}`, '2025-06-02T10:00:00+08:00', { connected: false, address: '+86-1' }));
    expect(judged(cn, sevenUnanswered).N7).toEqual(['daily-unanswered-attempt-limit']);
    expect(judged(cn, [...sevenUnanswered.slice(0, 6), contact('N7', '2025-06-02T10:00:00+08:00', { connected: false, address: '+86-2' })]).N7).toEqual([]);
  });

  it('3. a borrower in two time zones is judged in both (quiet hours and days)', () => {
    const V1 = loan('V1', NEW_YORK, 'USD');
    const V2 = loan('V2', LOS_ANGELES, 'USD');
    const zones = [NEW_YORK, LOS_ANGELES];
    expect(
      judged(us, [
        contact('A', '2025-06-03T08:30:00-04:00', { policy: us, loan: V1, borrowerTimeZones: zones, connected: false }),
        contact('B', '2025-06-03T19:30:00-07:00', { policy: us, loan: V2, borrowerTimeZones: zones, connected: false }),
        contact('C', '2025-06-03T11:30:00-04:00', { policy: us, loan: V1, borrowerTimeZones: zones, connected: false }),
      ]),
    ).toEqual({ A: ['quiet-hours'], B: ['quiet-hours'], C: [] });
    // A conversation at 22:00 in Los Angeles on 06-03 is 06-04 in New York: the New York call on
    // 06-10 at 11:00 (08:00 in Los Angeles) is day 7 there (06-04 .. 06-10), day 8 in Los Angeles: barred.
    expect(
      judged(us, [
        contact('IN', '2025-06-03T22:00:00-07:00', { policy: us, loan: V1, borrowerTimeZones: zones, direction: 'inbound' }),
        contact('C1', '2025-06-10T11:00:00-04:00', { policy: us, loan: V1, borrowerTimeZones: zones, connected: false }),
        contact('C2', '2025-06-11T11:00:00-04:00', { policy: us, loan: V1, borrowerTimeZones: zones, connected: false }),
      ]),
    ).toEqual({ IN: [], C1: ['call-after-conversation'], C2: [] });
  });

  it('4. cn: an inbound call from the borrower reaches them, so a third party is not allowed after it', () => {
    const steps = [
      contact('C1', '2025-06-02T10:10:00+08:00', { connected: false }),
      contact('IN', '2025-06-02T10:20:00+08:00', { direction: 'inbound' }),
      contact('T', '2025-06-02T10:30:00+08:00', { party: 'emergency-contact', personReached: 'Mei' }),
    ];
    expect(judged(cn, steps)).toEqual({ C1: [], IN: [], T: ['third-party-contact'] });
    // Without the inbound call the borrower could not be reached: the third party is allowed.
    expect(judged(cn, [steps[0]!, steps[2]!])).toEqual({ C1: [], T: [] });
  });

  it('5. cn: a reach bars third parties for seven calendar days, that day being day one', () => {
    const base = [contact('C1', '2025-06-02T10:00:00+08:00'), contact('C2', '2025-06-04T10:00:00+08:00', { connected: false })];
    const third = (id: string, at: string) => contact(id, at, { party: 'third-party', personReached: 'Ravi' });
    expect(judged(cn, [...base, third('T5', '2025-06-05T10:00:00+08:00')]).T5).toEqual(['third-party-contact']);
    expect(judged(cn, [...base, third('T8', '2025-06-08T21:59:59+08:00')]).T8).toEqual(['third-party-contact']);
    expect(judged(cn, [...base, third('T9', '2025-06-09T10:00:00+08:00')]).T9).toEqual([]);
    expect(judged(cn, [...base, third('T9', '2025-06-09T08:00:00+08:00')]).T9).toEqual([]);
  });

  it('6. us: third parties for location information only, and once unless asked or the answer was wrong', () => {
    const t = (id: string, at: string, f: Partial<RecordCollectionContact> = {}) => contact(id, at, { policy: us, party: 'third-party', personReached: 'Ravi', ...f });
    expect(
      judged(us, [
        t('T1', '2025-06-02T10:00:00-04:00', { outcome: 'dispute' }),
        t('T2', '2025-06-03T10:00:00-04:00'),
        t('T3', '2025-06-04T10:00:00-04:00', { repeatReason: 'earlier-answer-believed-wrong' }),
        t('T4', '2025-06-05T10:00:00-04:00', { purpose: 'other', connected: false }),
        t('T5', '2025-06-05T11:00:00-04:00', { personReached: 'Mei', purpose: 'location-information' }),
      ]),
    ).toEqual({ T1: ['third-party-location-only'], T2: ['third-party-repeat'], T3: [], T4: ['third-party-location-only'], T5: [] });
  });

  it('7. each preset keeps its own quiet hours: 21:30 is quiet under us, not under cn', () => {
    expect(judged(us, [contact('C', '2025-06-02T21:30:00-04:00', { policy: us })])).toEqual({ C: ['quiet-hours'] });
    expect(judged(cn, [contact('C', '2025-06-02T21:30:00+08:00')])).toEqual({ C: [] });
    expect(judged(cn, [contact('C', '2025-06-02T22:00:00+08:00'), contact('L', '2025-06-02T23:00:00+08:00', { channel: 'letter' })])).toEqual({ C: ['quiet-hours'], L: [] });
  });

  it('seven days are calendar days across the fall-back change, not 168 hours', () => {
    // Conversation Mon 2025-10-27 20:00 EDT; 168 hours later is 2025-11-03 19:00 EST. Day 8 is 11-03.
    expect(
      judged(us, [
        contact('IN', '2025-10-27T20:00:00-04:00', { policy: us, direction: 'inbound' }),
        contact('C1', '2025-11-02T20:00:00-05:00', { policy: us, connected: false }),
        contact('C2', '2025-11-03T10:00:00-05:00', { policy: us, connected: false }),
      ]),
    ).toEqual({ IN: [], C1: ['call-after-conversation'], C2: [] });
  });

  it('late-recorded contacts and stop requests add violations to contacts recorded before them; none is removed', () => {
    expect(
      judged(cn, [
        contact('C10', '2025-06-02T10:00:00+08:00'),
        contact('C11', '2025-06-02T11:00:00+08:00'),
        contact('C12', '2025-06-02T12:00:00+08:00'),
        contact('C09', '2025-06-02T09:00:00+08:00'),
        restriction('R', '2025-06-02T11:00:00+08:00', 'channel-opt-out', 'phone'),
      ]),
    ).toEqual({ C09: [], C10: [], C11: ['channel-opt-out'], C12: ['channel-opt-out', 'daily-connected-call-limit'] });
    // A third party contacted before any attempt on the borrower keeps its violation when a failed attempt before it is recorded late.
    expect(
      judged(cn, [contact('T', '2025-06-02T10:30:00+08:00', { party: 'third-party' }), contact('C', '2025-06-02T10:00:00+08:00', { connected: false })]),
    ).toEqual({ T: ['third-party-contact'], C: [] });
  });
});

// ---------------------------------------------------------------- (b) random sequences against the engine

const ZONES = [SHANGHAI, NEW_YORK, LOS_ANGELES] as const;
const CHANNELS: readonly ContactChannel[] = ['phone', 'sms', 'email', 'letter', 'visit', 'app-message'];
const CONNECTED_OUTCOMES: readonly ContactOutcome[] = ['reached', 'promise-to-pay', 'dispute', 'refused', 'wrong-party', 'hardship-claimed'];
const ADDRESSES: Record<ContactParty, readonly string[]> = {
  borrower: ['b-mobile', 'b-home'],
  guarantor: ['g-mobile'],
  // The borrower's home number is also the emergency contact's: the unanswered limit is per number.
  'emergency-contact': ['e-mobile', 'b-home'],
  'third-party': ['t-office'],
};
const PERSONS: Record<ContactParty, readonly string[]> = { borrower: [], guarantor: ['Gao'], 'emergency-contact': ['Mei', 'Jun'], 'third-party': ['Ravi'] };
/** Ten days around the US fall-back change (2025-11-02). */
const FIRST_DAY_MS = Date.UTC(2025, 9, 28);
const DAYS = 10;
const MAX_CONTACTS = 25;
/** UTC minutes of the day that are local 07:59, 08:00, 20:59, 21:00, 21:59, 22:00, 23:59, 00:00 in one of the zones, either side of DST. */
const BOUNDARY_MINUTES = [...new Set([8, -4, -5, -7, -8].flatMap((offsetHours) => [479, 480, 1259, 1260, 1319, 1320, 1439, 0].map((m) => (((m - offsetHours * 60) % 1440) + 1440) % 1440)))];

/** `value` with weight `present`, null with weight `absent`. */
const sometimes = <T>(value: fc.Arbitrary<T>, present: number, absent: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: absent, arbitrary: fc.constant(null) }, { weight: present, arbitrary: value });

/**
 * When a step happened: on a day of the run's span at a minute and second (often a quiet-hours
 * edge in one of the zones), or near an earlier step's instant (`near`: that step's index, with
 * `delta` minutes, 0 for the same instant; negative deltas record contacts late).
 */
interface When {
  readonly near: number | null;
  readonly delta: number;
  readonly day: number;
  readonly minute: number;
  readonly second: number;
}
interface ContactSpec {
  readonly t: 'contact';
  readonly loan: number;
  readonly when: When;
  readonly offset: 'loan' | 'utc' | 'other';
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  readonly direction: 'outbound' | 'inbound';
  readonly connected: boolean;
  readonly outcome: ContactOutcome;
  readonly address: number | null;
  readonly person: number | null;
  readonly purpose: ThirdPartyPurpose | null;
  readonly repeatReason: RepeatReason | null;
}
/** `count` copies of one contact, `gap` minutes apart: enough calls to reach the frequency limits. */
interface BurstSpec {
  readonly t: 'burst';
  readonly contact: ContactSpec;
  readonly count: number;
  readonly gap: number;
}
interface RestrictionSpec {
  readonly t: 'restriction';
  readonly kind: 'cease-all' | 'channel-opt-out';
  readonly channel: ContactChannel;
  readonly when: When;
}
interface Scenario {
  readonly preset: 'cn' | 'us';
  readonly loanZones: readonly string[];
  readonly ownZone: string | null;
  readonly firstDay: number;
  readonly span: number;
  readonly steps: readonly (ContactSpec | BurstSpec | RestrictionSpec)[];
}

const whenArb: fc.Arbitrary<When> = fc.record({
  near: sometimes(fc.nat(30), 2, 3),
  delta: fc.oneof(fc.constant(0), fc.integer({ min: -300, max: 300 })),
  day: fc.nat(DAYS - 1),
  minute: fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 0, max: 1439 }) }, { weight: 1, arbitrary: fc.constantFrom(...BOUNDARY_MINUTES) }),
  second: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(59) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 59 }) }),
});

/** `focus`: mostly outbound phone calls to the borrower, so the frequency limits are reached. */
const contactArb = (focus: boolean): fc.Arbitrary<ContactSpec> =>
  fc
    .record({
      loan: fc.nat(1),
      when: whenArb,
      offset: fc.constantFrom<ContactSpec['offset']>('loan', 'loan', 'loan', 'loan', 'utc', 'other'),
      channel: fc.oneof({ weight: focus ? 6 : 1, arbitrary: fc.constant<ContactChannel>('phone') }, { weight: 1, arbitrary: fc.constantFrom(...CHANNELS) }),
      party: fc.oneof(
        { weight: focus ? 6 : 2, arbitrary: fc.constant<ContactParty>('borrower') },
        { weight: focus ? 1 : 3, arbitrary: fc.constantFrom<ContactParty>('guarantor', 'emergency-contact', 'third-party') },
      ),
      direction: fc.oneof({ weight: 5, arbitrary: fc.constant<'outbound'>('outbound') }, { weight: 1, arbitrary: fc.constant<'inbound'>('inbound') }),
      connected: fc.boolean(),
      outcome: fc.constantFrom(...CONNECTED_OUTCOMES),
      address: sometimes(fc.nat(1), 3, 1),
      person: sometimes(fc.nat(1), 3, 1),
      purpose: sometimes(fc.constantFrom<ThirdPartyPurpose>('location-information', 'other'), 1, 1),
      repeatReason: sometimes(fc.constantFrom<RepeatReason>('requested-by-third-party', 'earlier-answer-believed-wrong'), 1, 4),
    })
    .map((s): ContactSpec => ({ t: 'contact', ...s, outcome: s.connected ? s.outcome : 'no-answer' }));

const burstArb: fc.Arbitrary<BurstSpec> = fc.record({
  t: fc.constant<'burst'>('burst'),
  contact: contactArb(true),
  count: fc.integer({ min: 2, max: 8 }),
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 180 }), fc.integer({ min: 600, max: 1800 })),
});

const restrictionArb: fc.Arbitrary<RestrictionSpec> = fc.record({
  t: fc.constant<'restriction'>('restriction'),
  kind: fc.constantFrom<RestrictionSpec['kind']>('cease-all', 'channel-opt-out'),
  channel: fc.constantFrom(...CHANNELS),
  when: whenArb,
});

/**
 * No fc.chain (it shrinks poorly): focused steps (calls to the borrower), bursts of them and
 * mixed steps are drawn side by side, cut at 25 contacts.
 */
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  preset: fc.constantFrom<'cn' | 'us'>('cn', 'us'),
  loanZones: fc.array(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 2 }),
  ownZone: sometimes(fc.constantFrom(...ZONES), 1, 4),
  firstDay: fc.nat(DAYS - 1),
  span: fc.constantFrom(1, 3, DAYS),
  steps: fc.array(
    fc.oneof(
      { weight: 5, arbitrary: contactArb(true) },
      { weight: 5, arbitrary: contactArb(false) },
      { weight: 2, arbitrary: burstArb },
      { weight: 1, arbitrary: restrictionArb },
    ),
    { minLength: 1, maxLength: MAX_CONTACTS },
  ),
});

/** An instant as ISO with the offset it has in a zone (or Z). */
function isoIn(ms: number, zone: string | null): string {
  const utc = new Date(ms).toISOString().slice(0, 19);
  if (zone === null) return `${utc}Z`;
  const local = localTime(ms, zone);
  const localMs = local.day * 86_400_000 + local.second * 1000;
  const offsetMinutes = Math.round((localMs - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${local.date}T${two(Math.floor(local.second / 3600))}:${two(Math.floor((local.second % 3600) / 60))}:${two(local.second % 60)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

function toCommands(s: Scenario): JudgeStep[] {
  const policy = CONDUCT_POLICY_PRESETS[s.preset];
  const currency = s.preset === 'us' ? 'USD' : 'CNY';
  const loans = s.loanZones.map((zone, i) => loan(`L${i + 1}`, zone, currency));
  const borrowerTimeZones = [...new Set([...s.loanZones, ...(s.ownZone ? [s.ownZone] : [])])];
  const instants: number[] = [];
  const commands: JudgeStep[] = [];
  const instantOf = (w: When) => {
    const earlier = instants.length;
    return w.near !== null && earlier > 0
      ? instants[w.near % earlier]! + w.delta * 60_000
      : FIRST_DAY_MS + Math.min(DAYS - 1, s.firstDay + (w.day % s.span)) * 86_400_000 + w.minute * 60_000 + w.second * 1000;
  };
  const contactCommand = (step: ContactSpec, ms: number): RecordCollectionContact => {
    const theLoan = loans[step.loan % loans.length]!;
    const otherZone = ZONES.find((z) => z !== theLoan.timeZone)!;
    const borrower = step.party === 'borrower';
    const addresses = ADDRESSES[step.party];
    const persons = PERSONS[step.party];
    return {
      kind: 'record-contact',
      borrowerId: 'B1',
      contactId: `C${commands.length + 1}`,
      loan: theLoan,
      at: isoIn(ms, step.offset === 'loan' ? theLoan.timeZone : step.offset === 'utc' ? null : otherZone),
      channel: step.channel,
      party: step.party,
      direction: step.direction,
      connected: step.connected,
      outcome: step.outcome,
      ...(step.address !== null && { address: addresses[step.address % addresses.length]! }),
      ...(!borrower && step.person !== null && { personReached: persons[step.person % persons.length]! }),
      ...(!borrower && step.purpose !== null && { purpose: step.purpose }),
      ...(!borrower && step.repeatReason !== null && { repeatReason: step.repeatReason }),
      borrowerTimeZones,
      agentId: 'agent-1',
      note: '',
      promise: step.outcome === 'promise-to-pay' ? { amount: '1.00', dueOn: new Date(ms + 3 * 86_400_000).toISOString().slice(0, 10) } : undefined,
      policy,
    };
  };
  const contacts = () => commands.filter((c) => c.kind === 'record-contact').length;
  for (const step of s.steps) {
    if (contacts() >= MAX_CONTACTS) break;
    if (step.t === 'restriction') {
      const ms = instantOf(step.when);
      instants.push(ms);
      commands.push(restriction(`R${commands.length + 1}`, isoIn(ms, borrowerTimeZones[0]!), step.kind, step.kind === 'channel-opt-out' ? step.channel : undefined));
    } else if (step.t === 'contact') {
      const ms = instantOf(step.when);
      instants.push(ms);
      commands.push(contactCommand(step, ms));
    } else {
      const first = instantOf(step.contact.when);
      for (let j = 0; j < step.count && contacts() < MAX_CONTACTS; j++) {
        const ms = first + j * step.gap * 60_000;
        instants.push(ms);
        commands.push(contactCommand(step.contact, ms));
      }
    }
  }
  return commands;
}

/** The rules the engine recorded for each contact: on its own event and in every ContactViolationFound for it. */
function engineRules(commands: readonly JudgeStep[]): Map<string, Set<ConductRule>> {
  let state: CollectionState = collectionDecider.initialState();
  const answer = new Map<string, Set<ConductRule>>();
  for (const command of commands) {
    const events: readonly CollectionEvent[] = collectionDecider.decide(command, state);
    for (const event of events) {
      state = collectionDecider.evolve(state, event);
      if (event.type === 'CollectionContactRecorded') answer.set(event.data.contactId, new Set(event.data.violations.map((v) => v.rule)));
      if (event.type === 'ContactViolationFound') {
        const rules = answer.get(event.data.contactId);
        if (!rules) throw new Error(`ContactViolationFound for an unknown contact ${event.data.contactId}`);
        rules.add(event.data.rule);
      }
    }
  }
  return answer;
}

interface Mismatch {
  readonly contactId: string;
  readonly rule: ConductRule;
  readonly side: 'engine only' | 'judge only';
}

function compare(commands: readonly JudgeStep[], policy: ConductPolicy): { mismatches: Mismatch[]; engine: Map<string, Set<ConductRule>>; judge: Map<string, Set<ConductRule>> } {
  const engine = engineRules(commands);
  const judge = judgeConduct(policy, commands);
  const mismatches: Mismatch[] = [];
  for (const [contactId, mine] of judge) {
    const theirs = engine.get(contactId) ?? new Set<ConductRule>();
    for (const rule of theirs) if (!mine.has(rule)) mismatches.push({ contactId, rule, side: 'engine only' });
    for (const rule of mine) if (!theirs.has(rule)) mismatches.push({ contactId, rule, side: 'judge only' });
  }
  return { mismatches, engine, judge };
}

const showRules = (rules: Set<ConductRule> | undefined) => `[${[...(rules ?? [])].sort().join(', ')}]`;

/** The sequence in recording order, a line a command, with both answers. */
function describeRun(s: Scenario, commands: readonly JudgeStep[], engine: Map<string, Set<ConductRule>>, judge: Map<string, Set<ConductRule>>): string {
  const zones = [...new Set([...s.loanZones, ...(s.ownZone ? [s.ownZone] : [])])];
  const lines = commands.map((c) => {
    if (c.kind === 'record-restriction') return `  ${c.restrictionId} restriction ${c.restriction}${c.channel ? ` ${c.channel}` : ''} requestedAt ${c.requestedAt}`;
    const local = zones.map((z) => `${z.split('/')[1]} ${localTime(instantMs(c.at), z).date} ${new Date(localTime(instantMs(c.at), z).second * 1000).toISOString().slice(11, 19)}`).join(' | ');
    const extras = [c.address && `address=${c.address}`, c.personReached && `person=${c.personReached}`, c.purpose && `purpose=${c.purpose}`, c.repeatReason && `repeat=${c.repeatReason}`].filter(Boolean).join(' ');
    const mine = judge.get(c.contactId);
    const theirs = engine.get(c.contactId);
    const same = showRules(mine) === showRules(theirs);
    return `  ${c.contactId} ${c.loan.loanId} ${c.at} (${local}) ${c.direction} ${c.channel} ${c.party} ${c.connected ? 'connected' : 'not-connected'} ${c.outcome} ${extras}\n      engine ${showRules(theirs)}${same ? '' : `  judge ${showRules(mine)}   <-- differs`}`;
  });
  return `policy ${s.preset}, borrower zones ${zones.join(', ')}\n${lines.join('\n')}`;
}

const RUNS = Number(process.env.CONDUCT_RUNS ?? 200);
const replay = process.env.CONDUCT_SEED ? { seed: Number(process.env.CONDUCT_SEED), path: process.env.CONDUCT_PATH } : process.env.CI === 'true' ? { seed: 28_2025 } : {};

describe('the collection decider against the conduct judge (random contact sequences)', () => {
  // Engine and judge first disagreed on six readings (engine of 59cf247). Resolved: A (stop
  // requests bind contacts with the borrower only), B (cn counts calls that reached the debtor,
  // not a wrong party nor third parties), C and D (us: a wrong party is no second contact; an
  // inbound call from the third party is a first one) and F (cn's 7 days are calendar days) by
  // the engine following the rule texts; E by a decision written in the README (the failed
  // attempt must itself be within the 7 days), which the judge now states. CONDUCT_EXPLORE=3000
  // finds no disagreement.
  it('records, per contact, exactly the rules the judge finds broken', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const commands = toCommands(s);
        const { mismatches, engine, judge } = compare(commands, CONDUCT_POLICY_PRESETS[s.preset]);
        if (mismatches.length > 0) {
          const list = mismatches.map((m) => `${m.contactId} ${m.rule} (${m.side})`).join('; ');
          throw new Error(`engine and judge disagree: ${list}\n${describeRun(s, commands, engine, judge)}`);
        }
      }),
      { numRuns: RUNS, ...replay },
    );
  });

  if (process.env.CONDUCT_EXPLORE) {
    it('explores: disagreements per rule and side, each with a shrunk example', () => {
      const samples = fc.sample(scenarioArb, { numRuns: Number(process.env.CONDUCT_EXPLORE), seed: 1 });
      const counts = new Map<string, number>();
      const smallest = new Map<string, Scenario>();
      const coverage = new Map<string, number>();
      for (const s of samples) {
        const commands = toCommands(s);
        for (const rules of judgeConduct(CONDUCT_POLICY_PRESETS[s.preset], commands).values()) for (const rule of rules) coverage.set(rule, (coverage.get(rule) ?? 0) + 1);
        const seen = new Set(compare(commands, CONDUCT_POLICY_PRESETS[s.preset]).mismatches.map((m) => `${m.rule} (${m.side})`));
        for (const key of seen) {
          counts.set(key, (counts.get(key) ?? 0) + 1);
          const known = smallest.get(key);
          if (!known || toCommands(known).length > commands.length) smallest.set(key, s);
        }
      }
      const report: string[] = [
        `${samples.length} sequences; contacts the judge finds breaking each rule: ${[...coverage].map(([rule, n]) => `${rule} ${n}`).join(', ')}`,
        'sequences with each disagreement:',
      ];
      for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1])) {
        report.push(`${key}: ${n}`);
        const found = fc.check(
          fc.property(scenarioArb, (s) => !compare(toCommands(s), CONDUCT_POLICY_PRESETS[s.preset]).mismatches.some((m) => `${m.rule} (${m.side})` === key)),
          { numRuns: 2000, seed: 2 },
        );
        const example = found.failed && found.counterexample ? found.counterexample[0] : smallest.get(key);
        if (example) {
          const s = example;
          const commands = toCommands(s);
          const { engine, judge } = compare(commands, CONDUCT_POLICY_PRESETS[s.preset]);
          report.push(describeRun(s, commands, engine, judge));
        }
      }
      console.log(report.join('\n'));
    });
  }
});
