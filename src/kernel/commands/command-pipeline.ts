import { v5 as uuidv5 } from 'uuid';
import { foldStream } from '../fold-stream.js';
import type { Decider, DomainEvent } from '../decider.js';
import type {
  EventStore,
  EventToAppend,
  ExpectedRevision,
  GlobalPosition,
  StoredEvent,
  StreamRevision,
} from '../event-store/event-store.port.js';
import { WrongExpectedRevisionError } from '../event-store/wrong-expected-revision.error.js';
import type { CommandContext, CommandEventMetadata } from './command-context.js';
import { commandHash } from './command-hash.js';
import { CommandIdReusedError } from './command-id-reused.error.js';

/** Namespace for event ids derived from command ids (UUIDv5), so that a repeated command maps to the same ids. */
const EVENT_ID_NAMESPACE = '5b0c9d0e-3f9a-4b7e-9a55-4f1c2a7e0d11';

export const CURRENT_SCHEMA_VERSION = 1;

function eventIdOf(commandId: string, index: number): string {
  return uuidv5(`${commandId}/${index}`, EVENT_ID_NAMESPACE);
}

export interface CommandPipelineOptions {
  /** How many times load → decide → append is tried when another writer got there first. */
  maxAttempts: number;
}

export interface CommandOutcome<TEvent extends DomainEvent, TState> {
  readonly stream: string;
  /** The events this command produced: now, or the first time it was handled. */
  readonly events: readonly StoredEvent<TEvent['data']>[];
  readonly state: TState;
  /** Revision of the stream's last event; -1 when the stream does not exist. */
  readonly revision: StreamRevision;
  readonly position: GlobalPosition | undefined;
  /** True when this command id had been handled before and nothing was appended. */
  readonly repeated: boolean;
}

/**
 * The path every command takes, for every aggregate: load the stream, fold it, decide
 * (pure), append with the expected revision; on a concurrency conflict, start again.
 */
export class CommandPipeline {
  constructor(
    private readonly store: EventStore,
    private readonly options: CommandPipelineOptions,
  ) {}

  /**
   * `fingerprint` is what makes two requests the same command: by default the command
   * itself; a shell that adds its own facts (the clock, the policy in force) passes the
   * client's request instead, so a retry is recognised whatever those facts are by then.
   */
  async run<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    stream: string,
    command: TCommand,
    context: CommandContext,
    fingerprint: unknown = command,
  ): Promise<CommandOutcome<TEvent, TState>> {
    const hash = commandHash(fingerprint);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(decider, stream, command, context, hash);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= this.options.maxAttempts) throw error;
      }
    }
  }

  private async attempt<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    stream: string,
    command: TCommand,
    context: CommandContext,
    hash: string,
  ): Promise<CommandOutcome<TEvent, TState>> {
    const history = await this.store.readStream(stream);
    const state = foldStream(decider, history);
    const revision = history.length - 1;

    // A handled command's first event has an id derived from the command id: finding it
    // needs no look into any event's metadata.
    const firstEventId = eventIdOf(context.commandId, 0);
    const first = history.findIndex((e) => e.id === firstEventId);
    const earlier = first < 0 ? [] : history.slice(first).filter((e) => e.metadata['commandId'] === context.commandId);
    if (earlier.length > 0) {
      if (earlier[0]!.metadata['commandHash'] !== hash) throw new CommandIdReusedError(context.commandId);
      return { stream, events: earlier, state, revision, position: history.at(-1)?.position, repeated: true };
    }

    const decided = decider.decide(command, state);
    if (decided.length === 0) {
      return { stream, events: [], state, revision, position: history.at(-1)?.position, repeated: false };
    }

    const metadata: CommandEventMetadata = { ...context, commandHash: hash, schemaVersion: CURRENT_SCHEMA_VERSION };
    const toAppend: EventToAppend[] = decided.map((event, index) => ({
      id: eventIdOf(context.commandId, index),
      type: event.type,
      data: event.data,
      metadata: { ...metadata },
    }));
    const expected: ExpectedRevision = revision < 0 ? 'no-stream' : revision;
    const appended = await this.store.appendToStream(stream, toAppend, expected);
    const events = await this.store.readStream(stream, revision + 1);
    const produced = events.slice(0, toAppend.length);
    return {
      stream,
      events: produced,
      state: decided.reduce(decider.evolve, state),
      revision: appended.nextExpectedRevision,
      position: appended.position,
      repeated: false,
    };
  }
}
