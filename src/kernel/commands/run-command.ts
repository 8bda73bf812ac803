import type { Decider, DomainEvent } from '../decider.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { StreamBusyError } from '../event-store/stream-busy.error.js';
import { WrongExpectedRevisionError } from '../event-store/wrong-expected-revision.error.js';
import type { CommandOutcome } from './command-outcome.js';
import type { CommandRequest } from './command-request.js';
import type { CommandSteps } from './command-steps.js';
import { isRefusalByDecider } from './refusal-by-decider.js';
import { NO_STAGE_TIMER, type StageTimer } from '../stage-timer.js';

/** What the loop runs on: the store it appends to, the steps around the state, and how often to try. */
export interface CommandLoop {
  readonly store: EventStore;
  readonly steps: CommandSteps;
  /** How many times load → decide → append is tried when another writer got there first. */
  readonly maxAttempts: number;
  /** Times load, decide, append and answer when profiling (ARREARS_PROFILE_STAGES); a no-op otherwise. */
  readonly timer?: StageTimer;
  /**
   * Waits before attempt `attempt + 1` after attempt `attempt` lost its stream to another
   * writer (a short jittered backoff, given by the shell: the core keeps no clock), so that
   * two processes taking turns on one loan do not collide again at once; none when absent.
   */
  readonly pause?: (attempt: number) => Promise<void>;
}

/**
 * The path every command takes, for every aggregate: load, decide (pure), append with the
 * revision it was decided on as the expected revision; when another writer appended in
 * between, start again on the store's state (the kept state is dropped), after a pause, up
 * to `maxAttempts` times; then StreamBusyError (503, retryable): a race is never answered as
 * the client's conflict.
 */
export async function runCommand<TCommand, TEvent extends DomainEvent, TState>(
  { store, steps, maxAttempts, timer = NO_STAGE_TIMER, pause }: CommandLoop,
  decider: Decider<TCommand, TEvent, TState>,
  request: CommandRequest<TCommand>,
): Promise<CommandOutcome<TEvent, TState>> {
  for (let attempt = 1; ; ) {
    let decidedOnStateThatMayBeBehind = false;
    try {
      let since = timer.now();
      const loaded = await steps.load(decider, request.stream);
      timer.add('load', since);
      since = timer.now();
      const prepared = await steps.decide(decider, loaded, request);
      timer.add('decide', since);
      if (prepared.answered) return prepared.answered;
      decidedOnStateThatMayBeBehind = prepared.mayBeBehind;
      const { append } = prepared;
      since = timer.now();
      const appended = await store.appendToStream(append.stream, append.events, append.expectedRevision, append);
      timer.add('append', since);
      since = timer.now();
      const outcome = await steps.answer(decider, prepared, appended);
      timer.add('answer', since);
      return outcome;
    } catch (error) {
      // A conflict, or an append whose fate is unknown: the next attempt loads from the store.
      // (A command the decider refused was decided on a current state, which stays.)
      if (!isRefusalByDecider(error)) steps.forget(request.stream);
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // A kept (or read-ahead) state another process has since moved past is not another writer racing
      // this command: deciding again on the store's state does not use up an attempt.
      if (decidedOnStateThatMayBeBehind) continue;
      if (attempt >= maxAttempts) throw new StreamBusyError(request.stream, maxAttempts);
      await pause?.(attempt);
      attempt++;
    }
  }
}
