import { Temporal } from 'temporal-polyfill';
import type { Decider } from '../../kernel/decider.js';
import { BusinessRuleViolation, InvalidInputError } from '../../kernel/errors/domain-error.js';
import { parseAmount } from '../../kernel/money/amount.js';
import { addDays } from '../../kernel/dates/business-date.js';
import type { CollectionCommand, RecordBorrowerTimeZone, RecordCollectionContact, RecordContactRestriction, SettlePromises } from './collection-commands.js';
import { borrowerTimeZonesAt } from './borrower-time-zones.js';
import { isTimeZone } from '../../kernel/dates/time-zone.js';
import type { CollectionEvent, PromiseToPay } from './collection-events.js';
import { type CollectionState, evolveCollection, initialCollectionState } from './collection-state.js';
import { type ContactRestriction, contactRecordOf } from './contact-record.js';
import { type JudgedContact, judgeRecord, restrictionBroken } from './judge-contact.js';
import type { ConductViolation } from './contact-vocabulary.js';

function decideContact(command: RecordCollectionContact, state: CollectionState): CollectionEvent[] {
  if (command.loan.borrowerId !== command.borrowerId) {
    throw new BusinessRuleViolation(
      'CONTACT.LOAN_OF_ANOTHER_BORROWER',
      `Loan ${command.loan.loanId} belongs to another borrower than ${command.borrowerId}`,
    );
  }
  if (state.contacts.some((c) => c.contactId === command.contactId)) {
    throw new BusinessRuleViolation('CONTACT.DUPLICATE_ID', `Contact ${command.contactId} is already recorded`);
  }
  const { at, agentId, note, policy } = command;
  const contact = contactRecordOf({ ...command, loanId: command.loan.loanId });
  const timeZones = borrowerTimeZonesOf(command, state);
  // Contacts recorded before their zones were are judged in the zones on record now.
  const record: JudgedContact[] = [...state.contacts.map((c) => ({ ...c, timeZones: c.timeZones ?? timeZones })), { ...contact, timeZones }];
  // Only the new contact and those after it in time can be judged differently now.
  const judged = judgeRecord(record, { policy, restrictions: state.restrictions }, at);
  const madeOn = localDate(at, command.loan.timeZone);
  return [
    {
      type: 'CollectionContactRecorded',
      data: { ...contact, agentId, note, promise: promiseOf(command, madeOn), madeOn, borrowerTimeZones: timeZones, policy: policy.name, violations: judged.at(-1)! },
    },
    ...violationsFoundLate(state, judged, contact),
  ];
}

/**
 * The loan's zone first (its local date is the contact's), then every other zone the
 * borrower may be in: those the shell knows of their other loans, those of the loans
 * contacts were already about, and their own zone on record.
 */
function borrowerTimeZonesOf(command: RecordCollectionContact, state: CollectionState): string[] {
  return borrowerTimeZonesAt(state.timeZones, command.at, [command.loan.timeZone, ...command.borrowerTimeZones], state.contacts);
}

function decideTimeZone(command: RecordBorrowerTimeZone): CollectionEvent[] {
  if (!isTimeZone(command.timeZone)) throw new InvalidInputError('REQUEST.INVALID', `timeZone ${command.timeZone} is not an IANA time zone`, { field: 'timeZone' });
  return [{ type: 'BorrowerTimeZoneRecorded', data: { timeZone: command.timeZone, from: command.from } }];
}

/**
 * A contact recorded after others that happened later than it makes them later in the day,
 * the week, the conversation's seven days: each of those it now makes break a rule gets a
 * ContactViolationFound (nothing recorded is edited, and no violation is ever withdrawn).
 */
function violationsFoundLate(state: CollectionState, judged: readonly (readonly ConductViolation[])[], late: { contactId: string; at: string }): CollectionEvent[] {
  const lateAt = Temporal.Instant.from(late.at);
  return state.contacts.flatMap((contact, index): CollectionEvent[] => {
    if (contact.timeZones === undefined || Temporal.Instant.compare(Temporal.Instant.from(contact.at), lateAt) <= 0) return [];
    const { contactId, loanId, at, madeOn, channel, party, personReached } = contact;
    const who = { party, ...(personReached !== undefined && { personReached }) };
    return judged[index]!
      .filter((v) => !contact.violations.some((known) => known.rule === v.rule))
      .map((v) => ({ type: 'ContactViolationFound', data: { contactId, loanId, at, madeOn, channel, ...who, restrictionId: null, foundWith: late.contactId, ...v } }));
  });
}

const localDate = (instant: string, timeZone: string) => Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone).toPlainDate().toString();

/**
 * Each open promise is kept once the loan's payments from the day it was made through its
 * due date cover it (dated by the payment that did), and broken the day after its due date
 * otherwise. Both dates follow from the payments, so a late COB decides as a timely one.
 */
function decideSettlement(command: SettlePromises, state: CollectionState): CollectionEvent[] {
  const events: CollectionEvent[] = [];
  for (const promise of state.promises.filter((p) => p.status === 'open')) {
    const counted = command.payments
      .filter((p) => p.loanId === promise.loanId && !p.reversed && p.receivedOn >= promise.madeOn && p.receivedOn <= promise.dueOn)
      .filter((p) => p.receivedOn <= command.businessDate)
      .sort((a, b) => a.receivedOn.localeCompare(b.receivedOn));
    let paid = 0;
    const covering = counted.find((p) => (paid += p.amount) >= promise.amount);
    if (covering) {
      events.push({ type: 'PromiseToPayKept', data: { promiseId: promise.promiseId, loanId: promise.loanId, keptOn: covering.receivedOn, paid } });
    } else if (command.businessDate > promise.dueOn) {
      events.push({
        type: 'PromiseToPayBroken',
        data: { promiseId: promise.promiseId, loanId: promise.loanId, dueOn: promise.dueOn, brokenOn: addDays(promise.dueOn, 1), promised: promise.amount, paid },
      });
    }
  }
  return events;
}

/** A promise to pay comes with, and only with, the promise-to-pay outcome. */
function promiseOf(command: RecordCollectionContact, madeOn: string): PromiseToPay | null {
  if (command.outcome !== 'promise-to-pay') {
    if (command.promise) throw new InvalidInputError('REQUEST.INVALID', 'promise is given only with the outcome promise-to-pay', { field: 'promise' });
    return null;
  }
  if (!command.promise) throw new InvalidInputError('REQUEST.INVALID', 'promise {amount, dueOn} is required for a promise to pay', { field: 'promise' });
  const amount = parseAmount(command.promise.amount, command.loan.currency);
  if (typeof amount !== 'number' || amount === 0) {
    throw new InvalidInputError('REQUEST.INVALID', `promise.amount must be a positive amount in ${command.loan.currency}`, { field: 'promise.amount' });
  }
  if (command.promise.dueOn < madeOn) {
    throw new InvalidInputError('REQUEST.INVALID', `promise.dueOn ${command.promise.dueOn} is before the contact on ${madeOn}`, { field: 'promise.dueOn' });
  }
  return { amount, currency: command.loan.currency, dueOn: command.promise.dueOn };
}

function decideRestriction(command: RecordContactRestriction, state: CollectionState): CollectionEvent[] {
  if (state.restrictions.some((r) => r.restrictionId === command.restrictionId)) {
    throw new BusinessRuleViolation('RESTRICTION.DUPLICATE_ID', `Restriction ${command.restrictionId} is already recorded`);
  }
  if ((command.restriction === 'channel-opt-out') !== (command.channel !== undefined)) {
    throw new InvalidInputError('REQUEST.INVALID', 'channel is given for, and only for, a channel opt-out', { field: 'channel' });
  }
  const { restrictionId, channel, requestedAt, reason } = command;
  const restriction: ContactRestriction = { restrictionId, kind: command.restriction, channel, requestedAt };
  return [{ type: 'ContactRestrictionRecorded', data: { ...restriction, reason } }, ...violationsFound(restriction, state)];
}

/**
 * A stop request is honoured from when the borrower made it, so outbound contacts already
 * recorded at or after that instant broke it. Their events cannot be edited: each gets a
 * ContactViolationFound naming the contact, the restriction and the rule. A contact already
 * known to have broken that rule (an earlier stop request) is not counted twice.
 */
function violationsFound(restriction: ContactRestriction, state: CollectionState): CollectionEvent[] {
  return state.contacts.flatMap((contact): CollectionEvent[] => {
    if (contact.direction !== 'outbound') return [];
    const broken = restrictionBroken(restriction, contact);
    if (!broken || contact.violations.some((v) => v.rule === broken.rule)) return [];
    const { contactId, loanId, at, madeOn, channel, party, personReached } = contact;
    const who = { party, ...(personReached !== undefined && { personReached }) };
    return [{ type: 'ContactViolationFound', data: { contactId, loanId, at, madeOn, channel, ...who, restrictionId: restriction.restrictionId, ...broken } }];
  });
}

export const collectionDecider: Decider<CollectionCommand, CollectionEvent, CollectionState> = {
  initialState: initialCollectionState,
  evolve: evolveCollection,
  decide(command, state) {
    switch (command.kind) {
      case 'record-contact':
        return decideContact(command, state);
      case 'record-restriction':
        return decideRestriction(command, state);
      case 'settle-promises':
        return decideSettlement(command, state);
      case 'record-time-zone':
        return decideTimeZone(command);
    }
  },
};
