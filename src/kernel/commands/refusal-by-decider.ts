import { DomainError } from '../errors/domain-error.js';
import { EventIdReusedError } from '../event-store/event-id-reused.error.js';
import { StreamBusyError } from '../event-store/stream-busy.error.js';
import { WrongExpectedRevisionError } from '../event-store/wrong-expected-revision.error.js';

/**
 * A domain error from deciding (or a reused command id), not a store refusing the append:
 * the state it was decided on is current, so it stays kept; after anything else (a conflict,
 * an append whose fate is unknown) what the command was decided on may be stale.
 */
export function isRefusalByDecider(error: unknown): boolean {
  return error instanceof DomainError && !(error instanceof WrongExpectedRevisionError) && !(error instanceof EventIdReusedError) && !(error instanceof StreamBusyError);
}
