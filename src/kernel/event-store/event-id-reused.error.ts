import { ConflictError } from '../errors/domain-error.js';

/**
 * An append repeated some stored event ids but not all of them, or in another stream:
 * it is neither a retry of an earlier append nor a new one, so it is refused whole.
 */
export class EventIdReusedError extends ConflictError {
  constructor(
    readonly stream: string,
    readonly eventIds: readonly string[],
  ) {
    super(
      'STREAM.EVENT_ID_REUSED',
      `Event ids ${eventIds.join(', ')} are already stored, but not as this same append to ${stream}`,
      { stream, eventIds },
    );
  }
}
