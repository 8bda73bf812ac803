import type { Decider, DomainEvent } from '../decider.js';
import type { EventStore, ExpectedRevision, StreamAppend, StreamRevision } from '../event-store/event-store.port.js';
import type { EventUpcasters } from '../event-store/event-upcasters.js';
import type { CommandOutcome } from './command-outcome.js';
import type { CommandRequest } from './command-request.js';
import { type LoadedAggregate, mayBeBehind } from './load-aggregate.js';
import { prepareAppend } from './prepare-append.js';
import { earlierEventsOf } from './repeated-command.js';
import { snapshotToKeep } from './snapshot-to-keep.js';

/** A command decided and ready to append. */
export interface ToAppend<TState> {
  readonly answered?: undefined;
  readonly append: StreamAppend;
  /** The stream's revision the command was decided on. */
  readonly revision: StreamRevision;
  /** The state once the append is done. */
  readonly state: TState;
  /** The newest snapshot's revision once the append is done. */
  readonly snapshotRevision: StreamRevision;
  /** Decided on a state that may be behind the stream (mayBeBehind). */
  readonly mayBeBehind: boolean;
}

/** A command decided: ready to append, or already answered (a repeat, or nothing to do). */
export type Prepared<TEvent extends DomainEvent, TState> = { readonly answered: CommandOutcome<TEvent, TState> } | ToAppend<TState>;

/**
 * The decide step on a loaded aggregate: a repeat is answered with its first result
 * (repeated-command.ts); otherwise the decider decides (pure), and its events are stamped
 * (prepareAppend) to be appended at the loaded revision, with a snapshot when one is due.
 */
export async function decideCommand<TCommand, TEvent extends DomainEvent, TState>(
  store: EventStore,
  schemas: EventUpcasters,
  decider: Decider<TCommand, TEvent, TState>,
  loaded: LoadedAggregate<TState>,
  request: CommandRequest<TCommand>,
): Promise<Prepared<TEvent, TState>> {
  const { stream, command, context, hash } = request;
  const { state, revision } = loaded;

  const earlier = await earlierEventsOf(store, request, loaded);
  if (earlier.length > 0) return { answered: { stream, events: earlier, state, revision, repeated: true } };

  const decided = decider.decide(command, state);
  const after = decided.reduce(decider.evolve, state);
  const revisionAfter = revision + decided.length;
  const snapshot = snapshotToKeep(decider.snapshotting, after, revisionAfter, loaded.snapshotRevision);
  if (decided.length === 0 && !snapshot) {
    return { answered: { stream, events: [], state, revision, repeated: false } };
  }

  const events = prepareAppend(decided, { stream, context, commandHash: hash, schemas });
  const expectedRevision: ExpectedRevision = revision < 0 ? 'no-stream' : revision;
  return {
    append: { stream, events, expectedRevision, snapshot },
    revision,
    state: after,
    snapshotRevision: snapshot ? revisionAfter : loaded.snapshotRevision,
    mayBeBehind: mayBeBehind(loaded),
  };
}
