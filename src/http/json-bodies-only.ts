import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Thrown before a body is read: src/http/error.filter.ts answers it as REQUEST.UNSUPPORTED_MEDIA_TYPE. */
export class UnsupportedMediaTypeError extends Error {
  readonly statusCode = 415;
  constructor(readonly contentType: string | undefined) {
    super(`The body must be JSON, sent as Content-Type: application/json${contentType ? `, not ${contentType}` : ''}`);
  }
}

/**
 * Every body the API takes is JSON. Fastify parses text/plain, and Nest form bodies, which
 * turned a command sent as text into a string validated field by field (a 400 naming every
 * field): a body of any other media type is refused with a 415 before it is read.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request: FastifyRequest) => {
    if (!hasBody(request)) return;
    const contentType = request.headers['content-type'];
    if (contentType?.split(';', 1)[0]!.trim().toLowerCase() !== 'application/json') throw new UnsupportedMediaTypeError(contentType);
  });
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
