import { ConflictError } from '../errors/domain-error.js';
import type { ExpectedRevision, StreamRevision } from './event-store.port.js';

/** The stream was not where the writer expected it: someone else appended first. */
export class WrongExpectedRevisionError extends ConflictError {
  constructor(
    readonly stream: string,
    readonly expectedRevision: ExpectedRevision,
    /** Revision of the stream's last event, or 'no-stream' when it does not exist. */
    readonly actualRevision: StreamRevision | 'no-stream',
  ) {
    super(
      'STREAM.WRONG_EXPECTED_REVISION',
      `Stream ${stream} was expected at ${expectedRevision} but is at ${actualRevision}`,
      { stream, expectedRevision, actualRevision },
    );
  }
}
