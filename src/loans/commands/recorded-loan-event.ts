import type { StoredEvent } from '../../kernel/event-store/event-store.port.js';
import type { LoanEvent } from '../domain/loan-events.js';
import type { LoanCommandOutcome } from './loan-command-runner.js';

export type LoanEventType = LoanEvent['type'];
export type LoanEventData<T extends LoanEventType> = Extract<LoanEvent, { type: T }>['data'];

/**
 * The stored events of a loan command are the decider's LoanEvents, each type with its own
 * data: this guard says so to the compiler once, instead of a cast at every caller.
 */
function isLoanEvent<T extends LoanEventType>(type: T) {
  return (event: StoredEvent<LoanEvent['data']>): event is StoredEvent<LoanEventData<T>> => event.type === type;
}

/** The data of the first event of `type` the command recorded; the decider always records one for the command it answers. */
export function recordedData<T extends LoanEventType>(outcome: LoanCommandOutcome, type: T): LoanEventData<T> {
  const event = outcome.events.find(isLoanEvent(type));
  if (!event) throw new Error(`No ${type} among the events of the command on ${outcome.stream}`);
  return event.data;
}

/** Whether the command recorded an event of `type` (a payment that paid the loan off, a reversal that reopened it). */
export function hasRecorded(outcome: LoanCommandOutcome, type: LoanEventType): boolean {
  return outcome.events.some(isLoanEvent(type));
}

/** The currency of a loan a command has just been decided on: every command but origination needs the loan to exist. */
export function currencyOf(outcome: LoanCommandOutcome): string {
  const terms = outcome.state.terms;
  if (!terms) throw new Error(`No terms on ${outcome.stream} after a command on it`);
  return terms.currency;
}
