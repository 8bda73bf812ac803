import { Temporal } from 'temporal-polyfill';
import type { Decider } from '../../kernel/decider.js';
import { BusinessRuleViolation, InvalidInputError } from '../../kernel/errors/domain-error.js';
import { parseAmount } from '../../kernel/money/amount.js';
import { addDays } from '../../kernel/dates/business-date.js';
import type { CollectionCommand, RecordCollectionContact, RecordContactRestriction, SettlePromises } from './collection-commands.js';
import type { CollectionEvent, PromiseToPay } from './collection-events.js';
import { type CollectionState, evolveCollection, initialCollectionState } from './collection-state.js';
import type { ContactRestriction } from './contact-record.js';
import { judgeContact, restrictionBroken } from './judge-contact.js';

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
  const { contactId, at, channel, party, direction, connected, outcome, agentId, note, policy } = command;
  const contact = { contactId, loanId: command.loan.loanId, at, channel, party, direction, connected, outcome };
  const violations =
    direction === 'outbound'
      ? judgeContact(contact, { policy, timeZone: command.loan.timeZone, history: state.contacts, restrictions: state.restrictions })
      : [];
  const madeOn = localDate(at, command.loan.timeZone);
  return [
    {
      type: 'CollectionContactRecorded',
      data: { ...contact, agentId, note, promise: promiseOf(command, madeOn), madeOn, policy: policy.name, violations },
    },
  ];
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
    const { contactId, loanId, at, madeOn, channel } = contact;
    return [{ type: 'ContactViolationFound', data: { contactId, loanId, at, madeOn, channel, restrictionId: restriction.restrictionId, ...broken } }];
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
    }
  },
};
