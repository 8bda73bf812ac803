import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { DomainError, type DomainErrorKind, InvalidInputError } from '../kernel/errors/domain-error.js';
import type { ErrorBody } from '../kernel/errors/error-body.js';
import { UnsupportedMediaTypeError } from './json-bodies-only.js';

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  'rule-violation': HttpStatus.CONFLICT,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

/** Codes for the errors Nest and Fastify raise themselves (no route, a body that is not JSON). */
const HTTP_EXCEPTION_CODES: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'REQUEST.INVALID',
  [HttpStatus.NOT_FOUND]: 'ROUTE.NOT_FOUND',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};

/** Maps every error to `{ code, message }` (DESIGN.md §5); unexpected ones are logged and hidden. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    /** Named in the message of a 413, so a client knows what would fit. */
    private readonly maxBodyBytes: number,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body] = this.describe(error, host);
    // A 503 the client may send again (STREAM.BUSY): when, in whole seconds.
    if (error instanceof DomainError && error.kind === 'unavailable') void reply.header('retry-after', String(error.details?.['retryAfterSeconds'] ?? 1));
    void reply.status(status).send(body);
  }

  private describe(error: unknown, host: ArgumentsHost): [number, ErrorBody] {
    if ((error as { statusCode?: number } | null)?.statusCode === HttpStatus.PAYLOAD_TOO_LARGE || (error instanceof HttpException && error.getStatus() === HttpStatus.PAYLOAD_TOO_LARGE)) {
      return [HttpStatus.PAYLOAD_TOO_LARGE, { code: 'REQUEST.TOO_LARGE', message: `Request body is larger than the limit of ${this.maxBodyBytes} bytes` }];
    }
    if ((error as { statusCode?: number } | null)?.statusCode === HttpStatus.UNSUPPORTED_MEDIA_TYPE || (error instanceof HttpException && error.getStatus() === HttpStatus.UNSUPPORTED_MEDIA_TYPE)) {
      const contentType = host.switchToHttp().getRequest<FastifyRequest>().headers['content-type'];
      return [HttpStatus.UNSUPPORTED_MEDIA_TYPE, { code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: new UnsupportedMediaTypeError(contentType).message }];
    }
    if (error instanceof InvalidInputError && typeof error.details?.['field'] === 'string') {
      const field = error.details['field'];
      return [HttpStatus.BAD_REQUEST, { code: error.code, message: error.message, errors: [{ field, messages: [error.message] }] }];
    }
    if (error instanceof DomainError) {
      return [
        STATUS_OF_KIND[error.kind],
        { code: error.code, message: error.message, ...(error.details && { details: error.details }) },
      ];
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      if (typeof response === 'object' && response !== null && 'code' in response) return [status, response as ErrorBody];
      return [status, { code: HTTP_EXCEPTION_CODES[status] ?? `HTTP.${status}`, message: error.message }];
    }
    // Fastify's own errors (a body that is not JSON, one too large) carry a 4xx statusCode.
    const fastifyError = error as { statusCode?: number; code?: string; message?: string };
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return [fastifyError.statusCode, { code: `REQUEST.${fastifyError.code ?? 'INVALID'}`, message: fastifyError.message ?? 'Bad request' }];
    }
    this.logger.error({ err: error }, 'unhandled error');
    return [HttpStatus.INTERNAL_SERVER_ERROR, { code: 'INTERNAL', message: 'Internal error; the failure was logged' }];
  }
}
