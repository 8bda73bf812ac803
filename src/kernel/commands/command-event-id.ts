import { v5 as uuidv5 } from 'uuid';

/** Namespace for event ids derived from command ids (UUIDv5), so that a repeated command maps to the same ids. */
const EVENT_ID_NAMESPACE = '5b0c9d0e-3f9a-4b7e-9a55-4f1c2a7e0d11';

/**
 * The id of the `index`th event a command appends to a stream. A command id names a command
 * within its stream (a payment id is unique within its loan, not across loans), so the
 * stream is part of what the id is derived from: the same payment id on two loans gives
 * two sets of event ids. Events stored before this rule keep the ids they were given.
 */
export function commandEventId(stream: string, commandId: string, index: number): string {
  return uuidv5(`${stream}/${commandId}/${index}`, EVENT_ID_NAMESPACE);
}
