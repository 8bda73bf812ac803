import { DomainError } from '../errors/domain-error.js';

/**
 * Every attempt at a command lost the race for its stream to other writers (other engine
 * processes on the same store): nothing was appended, and the same request sent again later
 * is safe (its command id makes it idempotent). The HTTP shell answers 503 with
 * `Retry-After: retryAfterSeconds`.
 */
export class StreamBusyError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    readonly stream: string,
    readonly attempts: number,
    readonly retryAfterSeconds = 1,
  ) {
    super('STREAM.BUSY', `Stream ${stream} was changed by other writers during each of ${attempts} attempts; nothing was appended, send the request again`, {
      stream,
      attempts,
      retryAfterSeconds,
    });
  }
}
