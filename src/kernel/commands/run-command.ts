import type { Decider, DomainEvent } from '../decider.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { WrongExpectedRevisionError } from '../event-store/wrong-expected-revision.error.js';
import type { CommandOutcome } from './command-outcome.js';
import type { CommandRequest } from './command-request.js';
import type { CommandSteps } from './command-steps.js';
import { isRefusalByDecider } from './refusal-by-decider.js';

/** What the loop runs on: the store it appends to, the steps around the state, and how often to try. */
export interface CommandLoop {
  readonly store: EventStore;
  readonly steps: CommandSteps;
  /** How many times load → decide → append is tried when another writer got there first. */
  readonly maxAttempts: number;
}

/**
 * The path every command takes, for every aggregate: load, decide (pure), append with the
 * revision it was decided on as the expected revision; when another writer appended in
 * between, start again, up to `maxAttempts` times.
 */
export async function runCommand<TCommand, TEvent extends DomainEvent, TState>(
  { store, steps, maxAttempts }: CommandLoop,
  decider: Decider<TCommand, TEvent, TState>,
  request: CommandRequest<TCommand>,
): Promise<CommandOutcome<TEvent, TState>> {
  for (let attempt = 1; ; ) {
    let decidedOnKeptState = false;
    try {
      const prepared = await steps.decide(decider, await steps.load(decider, request.stream), request);
      if (prepared.answered) return prepared.answered;
      decidedOnKeptState = prepared.fromCache;
      const { append } = prepared;
      const appended = await store.appendToStream(append.stream, append.events, append.expectedRevision, append);
      return await steps.answer(decider, prepared, appended);
    } catch (error) {
      // A conflict, or an append whose fate is unknown: the next attempt loads from the store.
      // (A command the decider refused was decided on a current state, which stays.)
      if (!isRefusalByDecider(error)) steps.forget(request.stream);
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // A kept state another process has since moved past is not another writer racing
      // this command: deciding again on the store's state does not use up an attempt.
      if (!decidedOnKeptState && ++attempt > maxAttempts) throw error;
    }
  }
}
