import { Temporal } from 'temporal-polyfill';
import type { ContactRecord, ContactRestriction, ProposedContact } from './contact-record.js';
import type { ConductViolation } from './contact-vocabulary.js';
import type { ConductPolicy } from './conduct-policy.js';

/** What the rules know about the borrower when judging a contact. */
export interface ConductContext {
  readonly policy: ConductPolicy;
  readonly timeZone: string;
  /** Earlier contacts with this borrower, any loan, any direction. */
  readonly history: readonly ContactRecord[];
  readonly restrictions: readonly ContactRestriction[];
}

/** A violation and the earliest instant it stops applying (undefined: time alone never lifts it). */
interface Finding extends ConductViolation {
  readonly liftsAt: Temporal.Instant | undefined;
}

const DAY_MS = 86_400_000;
// Letters are delivered by post: the hour they are sent at is no one's night.
const CHANNELS_WITHOUT_QUIET_HOURS = new Set(['letter']);
const THIRD_PARTIES = new Set(['third-party', 'emergency-contact']);
const DEBTOR_REACHABILITY_DAYS = 7;

/**
 * The rules an outbound contact breaks, judged in the borrower's own time zone. Inbound
 * contacts break none and never count against outbound limits.
 */
export function judgeContact(contact: ProposedContact, context: ConductContext): ConductViolation[] {
  return findings(contact, context).map(({ rule, message }) => ({ rule, message }));
}

/**
 * The first instant at or after the contact's own at which it would break no rule, or
 * undefined when only the borrower (a stop request) or another contact can lift a rule.
 */
export function nextAllowedAt(contact: ProposedContact, context: ConductContext): string | undefined {
  let candidate = Temporal.Instant.from(contact.at);
  for (let step = 0; step < 50; step++) {
    const found = findings({ ...contact, at: candidate.toString() }, context);
    if (found.length === 0) return candidate.toZonedDateTimeISO(context.timeZone).toString({ timeZoneName: 'never' });
    if (found.some((f) => f.liftsAt === undefined)) return undefined;
    candidate = found.map((f) => f.liftsAt!).reduce((latest, next) => (Temporal.Instant.compare(next, latest) > 0 ? next : latest));
  }
  return undefined;
}

function findings(contact: ProposedContact, { policy, timeZone, history, restrictions }: ConductContext): Finding[] {
  const at = Temporal.Instant.from(contact.at);
  const local = at.toZonedDateTimeISO(timeZone);
  const earlier = history.filter((h) => h.direction === 'outbound' && Temporal.Instant.compare(Temporal.Instant.from(h.at), at) < 0);
  const found: Finding[] = [];

  for (const restriction of restrictions) {
    const broken = restrictionBroken(restriction, contact);
    if (broken) found.push({ ...broken, liftsAt: undefined });
  }

  if (!CHANNELS_WITHOUT_QUIET_HOURS.has(contact.channel)) {
    const quiet = quietHoursEnd(local, policy.quietHours);
    if (quiet) {
      found.push({
        rule: 'quiet-hours',
        message: `${local.toPlainTime().toString({ smallestUnit: 'minute' })} in ${timeZone} is within quiet hours ${policy.quietHours.start}–${policy.quietHours.end}`,
        liftsAt: quiet.toInstant(),
      });
    }
  }

  if (contact.channel === 'phone') {
    const calls = earlier.filter((h) => h.channel === 'phone');
    const today = calls.filter((h) => sameLocalDay(h.at, local, timeZone));
    const tomorrow = local.toPlainDate().add({ days: 1 }).toZonedDateTime({ timeZone }).toInstant();
    const connectedToday = today.filter((h) => h.connected).length;
    if (policy.maxConnectedCallsPerDay !== undefined && contact.connected !== false && connectedToday >= policy.maxConnectedCallsPerDay) {
      found.push({
        rule: 'daily-connected-call-limit',
        message: `${connectedToday} connected calls already today; the limit is ${policy.maxConnectedCallsPerDay} a day`,
        liftsAt: tomorrow,
      });
    }
    const unansweredToday = today.filter((h) => !h.connected).length;
    if (policy.maxUnansweredAttemptsPerDay !== undefined && contact.connected !== true && unansweredToday >= policy.maxUnansweredAttemptsPerDay) {
      found.push({
        rule: 'daily-unanswered-attempt-limit',
        message: `${unansweredToday} unanswered attempts already today; the limit is ${policy.maxUnansweredAttemptsPerDay} a day`,
        liftsAt: tomorrow,
      });
    }
    const aboutThisLoan = calls.filter((h) => h.loanId === contact.loanId);
    if (policy.rollingCallAttempts) {
      const { max, days } = policy.rollingCallAttempts;
      const inWindow = aboutThisLoan.filter((h) => at.epochMilliseconds - Temporal.Instant.from(h.at).epochMilliseconds < days * DAY_MS);
      if (inWindow.length >= max) {
        const oldest = inWindow.map((h) => Temporal.Instant.from(h.at)).sort(Temporal.Instant.compare)[inWindow.length - max]!;
        found.push({
          rule: 'rolling-call-attempt-limit',
          message: `${inWindow.length} call attempts about loan ${contact.loanId} in the last ${days} days; the limit is ${max}`,
          liftsAt: oldest.add({ hours: 24 * days }),
        });
      }
    }
    if (policy.daysAfterConversation !== undefined) {
      const conversation = aboutThisLoan
        .filter((h) => h.connected && at.epochMilliseconds - Temporal.Instant.from(h.at).epochMilliseconds < policy.daysAfterConversation! * DAY_MS)
        .at(-1);
      if (conversation) {
        found.push({
          rule: 'call-after-conversation',
          message: `A telephone conversation about loan ${contact.loanId} took place at ${conversation.at}; no calls for ${policy.daysAfterConversation} days after it`,
          liftsAt: Temporal.Instant.from(conversation.at).add({ hours: 24 * policy.daysAfterConversation }),
        });
      }
    }
  }

  if (THIRD_PARTIES.has(contact.party) && policy.thirdParty === 'only-when-debtor-unreachable' && !debtorUnreachable(earlier, at)) {
    found.push({
      rule: 'third-party-contact',
      message: `Third parties may be contacted only when the borrower is unreachable: no unanswered attempt to reach the borrower in the last ${DEBTOR_REACHABILITY_DAYS} days without a connected one`,
      liftsAt: undefined,
    });
  }
  return found;
}

/**
 * The rule an outbound contact breaks by coming at or after the instant the borrower made
 * the stop request; undefined when it does not. Only the borrower lifts a stop request.
 * The one judgement both for a contact as it is recorded and for contacts already recorded
 * when a stop request dated before them is (see the collection decider).
 */
export function restrictionBroken(restriction: ContactRestriction, contact: Pick<ProposedContact, 'at' | 'channel'>): ConductViolation | undefined {
  if (Temporal.Instant.compare(Temporal.Instant.from(restriction.requestedAt), Temporal.Instant.from(contact.at)) > 0) return undefined;
  if (restriction.kind === 'cease-all') {
    return { rule: 'cease-communication', message: `The borrower asked for all contact to cease from ${restriction.requestedAt}` };
  }
  if (restriction.channel === contact.channel) {
    return { rule: 'channel-opt-out', message: `The borrower opted out of ${contact.channel} from ${restriction.requestedAt}` };
  }
  return undefined;
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

function sameLocalDay(instant: string, local: Temporal.ZonedDateTime, timeZone: string): boolean {
  return Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone).toPlainDate().equals(local.toPlainDate());
}

/** The borrower counts as unreachable after recent unanswered attempts and no recent conversation. */
function debtorUnreachable(earlier: readonly ContactRecord[], at: Temporal.Instant): boolean {
  const recent = earlier.filter(
    (h) => h.party === 'borrower' && at.epochMilliseconds - Temporal.Instant.from(h.at).epochMilliseconds < DEBTOR_REACHABILITY_DAYS * DAY_MS,
  );
  return recent.length > 0 && recent.every((h) => !h.connected);
}
