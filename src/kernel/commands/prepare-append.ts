import type { DomainEvent } from '../decider.js';
import type { EventToAppend } from '../event-store/event-store.port.js';
import type { EventUpcasters } from '../event-store/event-upcasters.js';
import type { CommandContext, CommandEventMetadata } from './command-context.js';
import { commandEventId } from './command-event-id.js';

/** Who decided the events and in which schemas they are written: everything stamped on them besides the events themselves. */
export interface AppendStamp {
  readonly stream: string;
  readonly context: CommandContext;
  /** `commandHash` of the command's fingerprint: tells a repeat from another command reusing its id. */
  readonly commandHash: string;
  /** The version each event type is written in today. */
  readonly schemas: EventUpcasters;
}

/**
 * The events a command appends, as stored: ids derived from the command id (so a repeat is
 * found by id, see repeated-command.ts) and the command's context, hash and each type's
 * schema version in the metadata. The one place this is done: the pipeline and the
 * benchmarks' seeding both call it, so seeded files hold byte for byte what the engine
 * would have written (metadata is stored as JSON, so even the key order matters).
 */
export function prepareAppend(decided: readonly DomainEvent[], { stream, context, commandHash, schemas }: AppendStamp): EventToAppend[] {
  return decided.map((event, index) => ({
    id: commandEventId(stream, context.commandId, index),
    type: event.type,
    data: event.data,
    metadata: { ...context, commandHash, schemaVersion: schemas.currentVersionOf(event.type) } satisfies CommandEventMetadata,
  }));
}
