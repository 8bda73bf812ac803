/**
 * An independent judge of the collection conduct rules (issue 28), written from the rule
 * texts, not from the engine: DESIGN.md §4, issue 28's decisions, 12 CFR 1006 (Regulation F)
 * 1006.6(b)(1)(i) with comment 6(b)(1)(i)-2, 1006.6(c), 1006.6(d)(1), 1006.10(c), 1006.14(b)(2),
 * 1006.14(h), and for `cn` the NIFA 2024 guideline / GB/T 45251-2025 (quiet hours) and the CBA
 * 2026 guideline (frequency, third parties).
 *
 * It imports TYPES only from src (and no function): its time arithmetic is its own (Intl), its
 * rules are its own reading. Given a policy and every recorded command (contacts and stop
 * requests) in recording order, it answers the set of rules each contact broke, as known once
 * everything is recorded.
 *
 * Readings and choices (where the texts leave one, the choice is written here):
 *
 * Order and time
 * - Contacts are ordered by instant, ties by recording order (the one recorded later is the
 *   later one): contacts at the same instant count against each other (issue 28, defect 2).
 * - "A day" is a calendar day in the borrower's local time. A borrower may be in several zones
 *   (the command's `borrowerTimeZones`, plus the loan's own zone in case the list misses it):
 *   a day-based limit or window must hold in EVERY zone, so a contact breaks it if it breaks it
 *   counted in ANY one zone's calendar (comment 6(b)(1)(i)-2 applied to days, issue 28).
 * - Seven days are seven consecutive calendar days, the day of the earlier event being day one
 *   (comment 14(b)(2)(ii)-1.ii; issue 28 "Seven days are days"), never 168 hours.
 * - "As known after everything is recorded", with violations never removed: the judge judges
 *   every contact against what was recorded after each recording step, and unions the answers.
 *   For every rule but one the answer only grows as contacts are added, so this equals judging
 *   once against the final log: a late-recorded contact is judged against the contacts before
 *   it in time, and it adds violations to the earlier-recorded contacts after it in time that
 *   it pushes over a limit or into a window (ContactViolationFound in the engine). The one rule
 *   where a late record can only lift a violation (cn third parties: a failed attempt recorded
 *   late) keeps the violation it had (nothing is edited, violations are never removed).
 *
 * Who the rules protect
 * - Inbound contacts never break a rule. They count as telephone conversations (us) and as
 *   reaching the borrower (cn); they never count as attempts or as calls placed.
 * - Parties: `borrower` is the consumer/debtor. `guarantor` is an obligor (a "consumer" under
 *   the FDCPA, 803(3), as a person obligated to pay; liable under a Chinese guarantee), so NOT a
 *   third party: contacts with a guarantor are judged only for quiet hours. `emergency-contact`
 *   and `third-party` are third parties.
 * - The frequency limits count the borrower only: cn "connected calls a day per debtor" are
 *   calls that reached the debtor; Reg F counts calls placed to the borrower, per debt (issue 28).
 *   The cn unanswered-attempt limit is per number, whoever's number it is (issue 28).
 *
 * Quiet hours
 * - From `quietHours.start` (inclusive) to `quietHours.end` (exclusive), at second precision,
 *   in any of the borrower's zones (comment 6(b)(1)(i)-2). `us` uses the preset's 21:00: "after
 *   9 pm" read as from 21:00:00 (DESIGN.md §4). Letters have none (issue 28). Every other
 *   outbound channel and every party is judged in the borrower's zones (DESIGN.md says "no
 *   contact"; a third party's own zone is not on record).
 *
 * Stop requests (1006.6(c), 1006.14(h); DESIGN.md §4)
 * - Honoured from `requestedAt` inclusive, for contacts recorded before or after the request.
 *   They bind contacts WITH THE BORROWER only (the borrower asked not to be contacted, or not
 *   through a medium; 1006.6(c) and 1006.14(h) are about communicating with the person who
 *   asked): a cease-all is broken by any outbound contact with the borrower on any channel,
 *   letters included; an opt-out by an outbound contact with the borrower on exactly that
 *   channel. Both rules are reported when both are broken.
 *
 * cn frequency (CBA 2026)
 * - daily-connected-call-limit: an outbound phone call to the borrower that connected and was
 *   not answered by a wrong party breaks it when `maxConnectedCallsPerDay` such calls were made
 *   before it that local day. An unanswered call never breaks it.
 * - daily-unanswered-attempt-limit: an outbound phone call that did not connect breaks it when
 *   `maxUnansweredAttemptsPerDay` unanswered calls to the same number were made before it that
 *   day. The number is `address`; a contact without one uses one unnamed number per party. A
 *   call answered by a wrong party was answered, so it is not an unanswered attempt; a 7th call
 *   that connects does not break the unanswered limit.
 *
 * us frequency (1006.14(b)(2)(i))
 * - rolling-call-attempt-limit: an outbound phone call to the borrower about a loan (connected or
 *   not, whoever answered: it was placed to the borrower) breaks it when, with it, more than
 *   `max` such calls about that loan fall within `days` consecutive local days.
 * - call-after-conversation: an outbound phone call to the borrower about a loan breaks it when
 *   a telephone conversation with the borrower about that loan (a connected phone contact with
 *   the borrower, either direction, not answered by a wrong party) comes before it and its day
 *   is within `daysAfterConversation` days counting the conversation's day as day one.
 * - Neither counts or bars calls to third parties or guarantors, nor other channels.
 *
 * Third parties
 * - cn (only when the debtor is unreachable): any outbound contact with a third party breaks
 *   `third-party-contact` unless, at its instant, the borrower is unreachable. Reading: the
 *   borrower is unreachable when (a) no contact reached the borrower (connected, not a wrong
 *   party, either direction, any channel) within 7 calendar days counting that contact's day as
 *   day one, and (b) an outbound attempt to the borrower failed (not connected, or a wrong party
 *   answered) after the last contact that reached them (or at all, if none did). (a) follows
 *   issue 28 defect 5, which takes a reach on 06-02 to bar third parties on 06-05 and not on
 *   06-09; (b) because "unreachable" means an attempt was made and failed: going to the family
 *   before trying the debtor is what the rule forbids. Decided since (issue 28 review): that
 *   failed attempt must itself be within the same 7 calendar days (README, Collections).
 * - us location only (1006.6(d)(1), 1006.10): an outbound contact with a third party breaks
 *   `third-party-location-only` when its purpose is `other` (absent purpose: location
 *   information) or the debt was discussed (outcome promise-to-pay, dispute, hardship-claimed),
 *   whether or not it connected (the record says what the collector set out to do).
 * - us once per third party (1006.10(c)): an outbound contact with a third party that connected
 *   (not a wrong party) breaks `third-party-repeat` when an earlier connected communication with
 *   the same person (either direction, about any of the borrower's loans) exists and it carries
 *   no `repeatReason`. The person is `personReached`; absent, one unnamed person per party.
 */
import type { RecordCollectionContact, RecordContactRestriction } from '../../src/collections/domain/collection-commands.js';
import type { ConductPolicy } from '../../src/policies/conduct-policy.js';
import type { ConductRule } from '../../src/collections/domain/contact-vocabulary.js';

export type JudgeStep = RecordCollectionContact | RecordContactRestriction;

/** cn: a borrower reached within this many calendar days (that day being day one) is reachable. */
export const REACHABLE_FOR_DAYS = 7;

// ---------------------------------------------------------------- time, the judge's own

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (zone: string): Intl.DateTimeFormat => {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
};

export interface LocalTime {
  /** Days since 1970-01-01 of the local calendar date. */
  readonly day: number;
  /** Seconds since local midnight. */
  readonly second: number;
  readonly date: string;
}

const localCache = new Map<string, LocalTime>();
/** The wall-clock date and time of an instant (epoch ms) in a zone. */
export function localTime(ms: number, zone: string): LocalTime {
  const key = `${zone}|${ms}`;
  const hit = localCache.get(key);
  if (hit) return hit;
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const y = Number(parts.year);
  const m = Number(parts.month);
  const d = Number(parts.day);
  const hour = Number(parts.hour) % 24;
  const answer: LocalTime = {
    day: Math.round(Date.UTC(y, m - 1, d) / 86_400_000),
    second: hour * 3600 + Number(parts.minute) * 60 + Number(parts.second),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
  if (localCache.size > 200_000) localCache.clear();
  localCache.set(key, answer);
  return answer;
}

/** An ISO instant with an offset (or Z), to epoch ms; throws on anything else. */
export function instantMs(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)) throw new Error(`not an ISO instant with offset: ${iso}`);
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${iso}`);
  return ms;
}

const secondsOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 3600 + m! * 60;
};

/** Quiet from start (inclusive) to end (exclusive), across midnight when start > end. */
export function isQuiet(second: number, quietHours: { readonly start: string; readonly end: string }): boolean {
  const start = secondsOf(quietHours.start);
  const end = secondsOf(quietHours.end);
  if (start === end) return false;
  return start < end ? second >= start && second < end : second >= start || second < end;
}

// ---------------------------------------------------------------- the judge

interface Contact {
  /** Recording order. */
  readonly seq: number;
  readonly ms: number;
  readonly c: RecordCollectionContact;
}

interface Restriction {
  readonly ms: number;
  readonly r: RecordContactRestriction;
}

const isThirdParty = (c: RecordCollectionContact) => c.party === 'emergency-contact' || c.party === 'third-party';
const isOutboundCallToBorrower = (c: RecordCollectionContact) => c.direction === 'outbound' && c.channel === 'phone' && c.party === 'borrower';
/** cn: a call that reached the debtor. */
const isConnectedCallWithBorrower = (c: RecordCollectionContact) => isOutboundCallToBorrower(c) && c.connected && c.outcome !== 'wrong-party';
const isUnansweredAttempt = (c: RecordCollectionContact) => c.direction === 'outbound' && c.channel === 'phone' && !c.connected;
/** us: a telephone conversation with the borrower, whoever placed the call. */
const isConversation = (c: RecordCollectionContact) => c.channel === 'phone' && c.party === 'borrower' && c.connected && c.outcome !== 'wrong-party';
/** cn: the borrower was reached (either direction, any channel). */
const reachesBorrower = (c: RecordCollectionContact) => c.party === 'borrower' && c.connected && c.outcome !== 'wrong-party';
const failedAttemptOnBorrower = (c: RecordCollectionContact) => c.party === 'borrower' && c.direction === 'outbound' && (!c.connected || c.outcome === 'wrong-party');
const isThirdPartyCommunication = (c: RecordCollectionContact) => isThirdParty(c) && c.connected && c.outcome !== 'wrong-party';
const numberOf = (c: RecordCollectionContact) => c.address ?? `#unnamed-number-of-${c.party}`;
const personOf = (c: RecordCollectionContact) => c.personReached ?? `#unnamed-person-of-${c.party}`;
const DEBT_DISCUSSED = new Set(['promise-to-pay', 'dispute', 'hardship-claimed']);

const zonesOf = (c: RecordCollectionContact): string[] => [...new Set([...c.borrowerTimeZones, c.loan.timeZone])];

/** The rules each contact breaks, judged once against exactly these contacts and restrictions. */
function judgeOnce(policy: ConductPolicy, contacts: readonly Contact[], restrictions: readonly Restriction[]): Map<string, Set<ConductRule>> {
  const ordered = [...contacts].sort((a, b) => a.ms - b.ms || a.seq - b.seq);
  const answer = new Map<string, Set<ConductRule>>();
  ordered.forEach((x, position) => {
    const rules = new Set<ConductRule>();
    answer.set(x.c.contactId, rules);
    if (x.c.direction !== 'outbound') return;
    const before = ordered.slice(0, position);
    const zones = zonesOf(x.c);
    const day = (y: Contact, zone: string) => localTime(y.ms, zone).day;
    /** Days from y's local day to x's, in a zone (0: the same day). */
    const daysAfter = (y: Contact, zone: string) => day(x, zone) - day(y, zone);

    // Quiet hours: quiet in any zone the borrower may be in; letters have none.
    if (x.c.channel !== 'letter' && zones.some((z) => isQuiet(localTime(x.ms, z).second, policy.quietHours))) rules.add('quiet-hours');

    // Stop requests, from requestedAt inclusive, for contacts with the borrower.
    if (x.c.party === 'borrower') {
      for (const { ms, r } of restrictions) {
        if (ms > x.ms) continue;
        if (r.restriction === 'cease-all') rules.add('cease-communication');
        if (r.restriction === 'channel-opt-out' && r.channel === x.c.channel) rules.add('channel-opt-out');
      }
    }

    // cn: connected calls a day per debtor.
    const maxConnected = policy.maxConnectedCallsPerDay;
    if (maxConnected !== undefined && isConnectedCallWithBorrower(x.c)) {
      if (zones.some((z) => before.filter((y) => isConnectedCallWithBorrower(y.c) && daysAfter(y, z) === 0).length >= maxConnected)) rules.add('daily-connected-call-limit');
    }

    // cn: unanswered attempts a day per number.
    const maxUnanswered = policy.maxUnansweredAttemptsPerDay;
    if (maxUnanswered !== undefined && isUnansweredAttempt(x.c)) {
      const number = numberOf(x.c);
      if (zones.some((z) => before.filter((y) => isUnansweredAttempt(y.c) && numberOf(y.c) === number && daysAfter(y, z) === 0).length >= maxUnanswered)) {
        rules.add('daily-unanswered-attempt-limit');
      }
    }

    // us: more than `max` calls to the borrower about a debt within `days` consecutive days.
    const rolling = policy.rollingCallAttempts;
    if (rolling !== undefined && isOutboundCallToBorrower(x.c)) {
      const calls = (z: string) => before.filter((y) => isOutboundCallToBorrower(y.c) && y.c.loan.loanId === x.c.loan.loanId && daysAfter(y, z) < rolling.days).length + 1;
      if (zones.some((z) => calls(z) > rolling.max)) rules.add('rolling-call-attempt-limit');
    }

    // us: no call about a debt within N days after a telephone conversation about it (its day is day one).
    const afterConversation = policy.daysAfterConversation;
    if (afterConversation !== undefined && isOutboundCallToBorrower(x.c)) {
      const barred = before.some((y) => isConversation(y.c) && y.c.loan.loanId === x.c.loan.loanId && zones.some((z) => daysAfter(y, z) < afterConversation));
      if (barred) rules.add('call-after-conversation');
    }

    if (isThirdParty(x.c)) {
      if (policy.thirdParty === 'only-when-debtor-unreachable') {
        const reaches = before.filter((y) => reachesBorrower(y.c));
        const lastReach = reaches[reaches.length - 1];
        const reachedRecently = lastReach !== undefined && zones.some((z) => daysAfter(lastReach, z) < REACHABLE_FOR_DAYS);
        // Decided for Arrears (README, Collections: "attempts in the last 7 days and none that reached them"): the failed
        // attempt must itself fall within the 7 calendar days; a failure weeks old does not show the borrower unreachable now.
        const failedSince = before.some(
          (y) =>
            failedAttemptOnBorrower(y.c) &&
            (lastReach === undefined || ordered.indexOf(y) > ordered.indexOf(lastReach)) &&
            zones.some((z) => daysAfter(y, z) < REACHABLE_FOR_DAYS),
        );
        const unreachable = !reachedRecently && failedSince;
        if (!unreachable) rules.add('third-party-contact');
      } else {
        if (x.c.purpose === 'other' || DEBT_DISCUSSED.has(x.c.outcome)) rules.add('third-party-location-only');
        if (isThirdPartyCommunication(x.c) && x.c.repeatReason === undefined) {
          const person = personOf(x.c);
          if (before.some((y) => isThirdPartyCommunication(y.c) && personOf(y.c) === person)) rules.add('third-party-repeat');
        }
      }
    }
  });
  return answer;
}

/**
 * The rules each recorded contact broke, as known once every step is recorded: the union, over
 * every recording step, of the judgement against what was recorded up to it (violations are
 * never removed). Inbound contacts map to an empty set.
 */
export function judgeConduct(policy: ConductPolicy, steps: readonly JudgeStep[]): Map<string, Set<ConductRule>> {
  const contacts: Contact[] = [];
  const restrictions: Restriction[] = [];
  const answer = new Map<string, Set<ConductRule>>();
  steps.forEach((step, seq) => {
    if (step.kind === 'record-contact') {
      contacts.push({ seq, ms: instantMs(step.at), c: step });
      answer.set(step.contactId, new Set());
    } else {
      restrictions.push({ ms: instantMs(step.requestedAt), r: step });
    }
    for (const [contactId, rules] of judgeOnce(policy, contacts, restrictions)) for (const rule of rules) answer.get(contactId)!.add(rule);
  });
  return answer;
}
