import { Temporal } from 'temporal-polyfill';
import type { ContactRecord, ContactRestriction, ProposedContact } from './contact-record.js';
import type { ConductViolation } from './contact-vocabulary.js';
import type { ConductPolicy } from '../../policies/conduct-policy.js';

/**
 * A contact as the rules judge it: what happened, and every time zone the borrower may have
 * been in then (comment 6(b)(1)(i)-2: a time is convenient only if it is convenient in each).
 */
export type JudgedContact = ContactRecord & { readonly timeZones: readonly string[] };

/** What the rules know besides the contacts: the policy and the borrower's stop requests. */
export interface ConductContext {
  readonly policy: ConductPolicy;
  readonly restrictions: readonly ContactRestriction[];
}

/** A violation and the earliest instant it stops applying (undefined: time alone never lifts it). */
interface Finding extends ConductViolation {
  readonly liftsAt: Temporal.Instant | undefined;
}

// Letters are delivered by post: the hour they are sent at is no one's night.
const CHANNELS_WITHOUT_QUIET_HOURS = new Set(['letter']);
const THIRD_PARTIES = new Set(['third-party', 'emergency-contact']);
const DEBT_DISCUSSED = new Set(['promise-to-pay', 'dispute', 'hardship-claimed']);
const DEBTOR_REACHABILITY_DAYS = 7;

/**
 * The rules each contact of a borrower's record breaks, judged against the whole record:
 * contacts are ordered by their instant, those at the same instant by the order they were
 * recorded in, and each is judged against every contact before it in that order, whenever
 * either was recorded. So contacts at one instant count against each other, and a contact
 * recorded late can make one recorded before it a violation. Inbound contacts break no rule,
 * but a conversation the borrower starts is a conversation, and reaches the borrower.
 *
 * `from`: only contacts at or after this instant are judged (the others are left with none),
 * since a contact recorded now changes the judgement of no contact before it.
 */
export function judgeRecord(contacts: readonly JudgedContact[], context: ConductContext, from?: string): ConductViolation[][] {
  const order = contacts.map((contact, recorded) => ({ contact, recorded, at: instantOf(contact.at) })).sort(byInstantThenRecording);
  const judgedFrom = from === undefined ? undefined : instantOf(from);
  const judged: ConductViolation[][] = contacts.map(() => []);
  order.forEach(({ contact, recorded, at }, position) => {
    if (contact.direction !== 'outbound' || (judgedFrom && Temporal.Instant.compare(at, judgedFrom) < 0)) return;
    const before = order.slice(0, position).map((o) => o.contact);
    judged[recorded] = findings(contact, contact.timeZones, before, context).map(({ rule, message }) => ({ rule, message }));
  });
  return judged;
}

/** The rules an outbound contact about to be made (or just made) breaks, after every contact recorded so far. */
export function judgeContact(contact: ProposedContact, timeZones: readonly string[], record: readonly JudgedContact[], context: ConductContext): ConductViolation[] {
  return findings(contact, timeZones, before(contact, record), context).map(({ rule, message }) => ({ rule, message }));
}

/**
 * The first instant at or after the contact's own at which it would break no rule, or
 * undefined when only the borrower (a stop request) or another contact can lift a rule.
 */
export function nextAllowedAt(contact: ProposedContact, timeZones: readonly string[], record: readonly JudgedContact[], context: ConductContext): string | undefined {
  let candidate = instantOf(contact.at);
  for (let step = 0; step < 50; step++) {
    const proposed = { ...contact, at: candidate.toString() };
    const found = findings(proposed, timeZones, before(proposed, record), context);
    if (found.length === 0) return candidate.toZonedDateTimeISO(timeZones[0]!).toString({ timeZoneName: 'never' });
    if (found.some((f) => f.liftsAt === undefined)) return undefined;
    candidate = found.map((f) => f.liftsAt!).reduce((latest, next) => (Temporal.Instant.compare(next, latest) > 0 ? next : latest));
  }
  return undefined;
}

/** The recorded contacts a new one at its instant comes after: all at or before it (it is recorded last). */
function before(contact: ProposedContact, record: readonly JudgedContact[]): JudgedContact[] {
  const at = instantOf(contact.at);
  return record
    .map((c, recorded) => ({ contact: c, recorded, at: instantOf(c.at) }))
    .filter((o) => Temporal.Instant.compare(o.at, at) <= 0)
    .sort(byInstantThenRecording)
    .map((o) => o.contact);
}

function byInstantThenRecording(a: { at: Temporal.Instant; recorded: number }, b: { at: Temporal.Instant; recorded: number }): number {
  return Temporal.Instant.compare(a.at, b.at) || a.recorded - b.recorded;
}

function findings(contact: ProposedContact, timeZones: readonly string[], before: readonly ContactRecord[], { policy, restrictions }: ConductContext): Finding[] {
  const at = instantOf(contact.at);
  const outboundBefore = before.filter((h) => h.direction === 'outbound');
  const found: Finding[] = [];

  for (const restriction of restrictions) {
    const broken = restrictionBroken(restriction, contact);
    if (broken) found.push({ ...broken, liftsAt: undefined });
  }

  if (!CHANNELS_WITHOUT_QUIET_HOURS.has(contact.channel)) {
    for (const zone of timeZones) {
      const local = at.toZonedDateTimeISO(zone);
      const quiet = quietHoursEnd(local, policy.quietHours);
      if (!quiet) continue;
      found.push({
        rule: 'quiet-hours',
        message: `${local.toPlainTime().toString({ smallestUnit: 'minute' })} in ${zone} is within quiet hours ${policy.quietHours.start}–${policy.quietHours.end}`,
        liftsAt: quiet.toInstant(),
      });
      break;
    }
  }

  if (contact.channel === 'phone') found.push(...callLimits(contact, at, timeZones, outboundBefore.filter((h) => h.channel === 'phone'), policy));
  if (contact.channel === 'phone' && contact.party === 'borrower') found.push(...regulationFCallFrequency(contact, at, timeZones, before, policy));
  if (THIRD_PARTIES.has(contact.party)) found.push(...thirdPartyRules(contact, at, timeZones, before, policy));
  return found;
}

/** cn: calls that reached the debtor a day, unanswered attempts a day per number, in each of the borrower's local days. */
function callLimits(contact: ProposedContact, at: Temporal.Instant, timeZones: readonly string[], calls: readonly ContactRecord[], policy: ConductPolicy): Finding[] {
  const found: Finding[] = [];
  const { maxConnectedCallsPerDay, maxUnansweredAttemptsPerDay } = policy;
  const mayReachBorrower = contact.party === 'borrower' && contact.connected !== false && contact.outcome !== 'wrong-party';
  if (maxConnectedCallsPerDay !== undefined && mayReachBorrower) {
    const limit = dailyLimit(at, timeZones, calls.filter((h) => h.party === 'borrower' && reached(h)), maxConnectedCallsPerDay);
    if (limit) {
      found.push({
        rule: 'daily-connected-call-limit',
        message: `${limit.count} connected calls with the borrower already on ${limit.day} in ${limit.zone}; the limit is ${maxConnectedCallsPerDay} a day`,
        liftsAt: limit.liftsAt,
      });
    }
  }
  if (maxUnansweredAttemptsPerDay !== undefined && contact.connected !== true) {
    const number = numberOf(contact);
    const limit = dailyLimit(at, timeZones, calls.filter((h) => !h.connected && numberOf(h) === number), maxUnansweredAttemptsPerDay);
    if (limit) {
      found.push({
        rule: 'daily-unanswered-attempt-limit',
        message: `${limit.count} unanswered attempts to ${number} already on ${limit.day} in ${limit.zone}; the limit is ${maxUnansweredAttemptsPerDay} a day per number`,
        liftsAt: limit.liftsAt,
      });
    }
  }
  return found;
}

/** In the first zone whose local day already holds `max` of `counted`: the count, and the start of the next local day there. */
function dailyLimit(at: Temporal.Instant, timeZones: readonly string[], counted: readonly ContactRecord[], max: number) {
  for (const zone of timeZones) {
    const day = at.toZonedDateTimeISO(zone).toPlainDate();
    const count = counted.filter((h) => localDate(h.at, zone).equals(day)).length;
    if (count >= max) return { count, zone, day: day.toString(), liftsAt: startOfDay(day.add({ days: 1 }), zone) };
  }
  return undefined;
}

/**
 * Regulation F's presumptions (1006.14(b)(2)), per debt and for calls placed to the borrower:
 * at most `max` call attempts within `days` consecutive calendar days, and none within `days`
 * consecutive calendar days after a telephone conversation, the conversation's date being day
 * one, whoever placed the call (comment 14(b)(2)(ii)-1). Days are the borrower's local days,
 * in every zone the borrower may be in.
 */
function regulationFCallFrequency(
  contact: ProposedContact,
  at: Temporal.Instant,
  timeZones: readonly string[],
  before: readonly ContactRecord[],
  policy: ConductPolicy,
): Finding[] {
  const found: Finding[] = [];
  const aboutThisDebt = before.filter((h) => h.channel === 'phone' && h.loanId === contact.loanId);
  if (policy.rollingCallAttempts) {
    const { max, days } = policy.rollingCallAttempts;
    const attempts = aboutThisDebt.filter((h) => h.direction === 'outbound' && h.party === 'borrower');
    for (const zone of timeZones) {
      const today = at.toZonedDateTimeISO(zone).toPlainDate();
      const inWindow = attempts.map((h) => localDate(h.at, zone)).filter((day) => daysFrom(day, today) < days).sort(Temporal.PlainDate.compare);
      if (inWindow.length < max) continue;
      found.push({
        rule: 'rolling-call-attempt-limit',
        message: `${inWindow.length} call attempts about loan ${contact.loanId} in the ${days} days to ${today} in ${zone}; the limit is ${max}`,
        liftsAt: startOfDay(inWindow[inWindow.length - max]!.add({ days }), zone),
      });
      break;
    }
  }
  if (policy.daysAfterConversation !== undefined) {
    const days = policy.daysAfterConversation;
    const conversations = aboutThisDebt.filter(isConversation);
    for (const zone of timeZones) {
      const today = at.toZonedDateTimeISO(zone).toPlainDate();
      const last = conversations.map((h) => ({ h, day: localDate(h.at, zone) })).filter(({ day }) => daysFrom(day, today) < days).at(-1);
      if (!last) continue;
      found.push({
        rule: 'call-after-conversation',
        message: `A telephone conversation about loan ${last.h.loanId} took place at ${last.h.at}; no calls on it or the ${days - 1} days after it (${zone})`,
        liftsAt: startOfDay(last.day.add({ days }), zone),
      });
      break;
    }
  }
  return found;
}

/** A telephone conversation with the borrower, whoever placed the call; a wrong party answering is none. */
function isConversation(h: ContactRecord): boolean {
  return h.channel === 'phone' && h.party === 'borrower' && reached(h);
}

/** The contact reached the person it was with: it connected, and not to a wrong party. */
function reached(h: ContactRecord): boolean {
  return h.connected && h.outcome !== 'wrong-party';
}

/**
 * cn: a third party only while the borrower cannot be reached (attempts in the last 7 days
 * and no contact that reached them, inbound calls included). us: location information only
 * (1006.6(d)(1)), and a given third party once, unless they asked for more or the earlier
 * answer is believed wrong (1006.10(c)).
 */
function thirdPartyRules(contact: ProposedContact, at: Temporal.Instant, timeZones: readonly string[], before: readonly ContactRecord[], policy: ConductPolicy): Finding[] {
  if (policy.thirdParty === 'only-when-debtor-unreachable') {
    const reachability = borrowerReachability(before, at, timeZones);
    if (reachability.unreachable) return [];
    return [
      {
        rule: 'third-party-contact',
        message: `Third parties may be contacted only when the borrower is unreachable: ${reachability.why}`,
        liftsAt: reachability.liftsAt,
      },
    ];
  }
  const found: Finding[] = [];
  if (contact.purpose === 'other' || (contact.outcome !== undefined && DEBT_DISCUSSED.has(contact.outcome))) {
    found.push({
      rule: 'third-party-location-only',
      message: 'A third party may be contacted only to learn where the borrower can be reached, never about the debt',
      liftsAt: undefined,
    });
  }
  const person = personOf(contact);
  // Answering the third party's own call is communicating with them too (1006.10(c)); a callback they asked for is a repeatReason.
  const spokenTo = before.find((h) => reached(h) && personOf(h) === person);
  const mayReach = contact.connected !== false && contact.outcome !== 'wrong-party';
  if (spokenTo && mayReach && contact.repeatReason === undefined) {
    found.push({
      rule: 'third-party-repeat',
      message: `${person} was already spoken to at ${spokenTo.at}: again only if they asked for it or their answer is believed wrong (repeatReason)`,
      liftsAt: undefined,
    });
  }
  return found;
}

/**
 * Whether the borrower counts as unreachable at `at`: in the last 7 calendar days (that day
 * being day seven), in every zone they may be in, an attempt to reach them failed and nothing
 * reached them, a call from them included. When not, why, and when time alone changes that.
 */
function borrowerReachability(
  before: readonly ContactRecord[],
  at: Temporal.Instant,
  timeZones: readonly string[],
): { unreachable: true } | { unreachable: false; why: string; liftsAt: Temporal.Instant | undefined } {
  const withBorrower = before.filter((h) => h.party === 'borrower');
  for (const zone of timeZones) {
    const today = at.toZonedDateTimeISO(zone).toPlainDate();
    const recent = withBorrower.filter((h) => daysFrom(localDate(h.at, zone), today) < DEBTOR_REACHABILITY_DAYS);
    const reachedThem = recent.filter(reached);
    const failed = recent.filter((h) => h.direction === 'outbound' && !reached(h));
    if (reachedThem.length === 0 && failed.length > 0) continue;
    if (reachedThem.length === 0) {
      return { unreachable: false, why: `no attempt to reach the borrower in the last ${DEBTOR_REACHABILITY_DAYS} days`, liftsAt: undefined };
    }
    const lastReached = reachedThem.at(-1)!;
    // Once the day it reached them has left the window, a failed attempt after it leaves them unreachable.
    const attemptAfter = failed.some((h) => Temporal.Instant.compare(instantOf(h.at), instantOf(lastReached.at)) > 0);
    return {
      unreachable: false,
      why: `the borrower was reached at ${lastReached.at}${lastReached.direction === 'inbound' ? ' (a call from the borrower)' : ''}`,
      liftsAt: attemptAfter ? startOfDay(localDate(lastReached.at, zone).add({ days: DEBTOR_REACHABILITY_DAYS }), zone) : undefined,
    };
  }
  return { unreachable: true };
}

/**
 * The rule an outbound contact breaks by coming at or after the instant the borrower made
 * the stop request; undefined when it does not. Only the borrower lifts a stop request.
 * The one judgement both for a contact as it is recorded and for contacts already recorded
 * when a stop request dated before them is (see the collection decider).
 */
export function restrictionBroken(restriction: ContactRestriction, contact: Pick<ProposedContact, 'at' | 'channel' | 'party'>): ConductViolation | undefined {
  // The borrower's request is about communicating with the borrower (1006.6(c), 1006.14(h)), not with a third party.
  if (contact.party !== 'borrower') return undefined;
  if (Temporal.Instant.compare(instantOf(restriction.requestedAt), instantOf(contact.at)) > 0) return undefined;
  if (restriction.kind === 'cease-all') {
    return { rule: 'cease-communication', message: `The borrower asked for all contact to cease from ${restriction.requestedAt}` };
  }
  if (restriction.channel === contact.channel) {
    return { rule: 'channel-opt-out', message: `The borrower opted out of ${contact.channel} from ${restriction.requestedAt}` };
  }
  return undefined;
}

/** The person a contact reached or was meant to reach: the borrower, or a named third party (one unnamed one per party). */
function personOf(contact: Pick<ProposedContact, 'party' | 'personReached'>): string {
  return contact.party === 'borrower' ? 'the borrower' : `${contact.party} ${contact.personReached ?? '(unnamed)'}`;
}

/** The number or address used (one unnamed number per party and person when not given). */
function numberOf(contact: Pick<ProposedContact, 'party' | 'personReached' | 'address'>): string {
  return contact.address ?? `an unnamed number of ${personOf(contact)}`;
}

/** When quiet hours are on at `local`, the instant they end; otherwise undefined. */
function quietHoursEnd(local: Temporal.ZonedDateTime, quiet: { start: string; end: string }): Temporal.ZonedDateTime | undefined {
  const time = local.toPlainTime();
  const start = Temporal.PlainTime.from(quiet.start);
  const end = Temporal.PlainTime.from(quiet.end);
  const overnight = Temporal.PlainTime.compare(start, end) > 0;
  const afterStart = Temporal.PlainTime.compare(time, start) >= 0;
  const beforeEnd = Temporal.PlainTime.compare(time, end) < 0;
  const inQuiet = overnight ? afterStart || beforeEnd : afterStart && beforeEnd;
  if (!inQuiet) return undefined;
  const endToday = local.withPlainTime(end);
  return Temporal.ZonedDateTime.compare(endToday, local) > 0 ? endToday : local.add({ days: 1 }).withPlainTime(end);
}

function instantOf(text: string): Temporal.Instant {
  return Temporal.Instant.from(text);
}

function localDate(instant: string, zone: string): Temporal.PlainDate {
  return instantOf(instant).toZonedDateTimeISO(zone).toPlainDate();
}

/** Calendar days from `from` to `to` (0 on the same day). */
function daysFrom(from: Temporal.PlainDate, to: Temporal.PlainDate): number {
  return from.until(to, { largestUnit: 'days' }).days;
}

function startOfDay(day: Temporal.PlainDate, zone: string): Temporal.Instant {
  return day.toZonedDateTime({ timeZone: zone }).toInstant();
}
