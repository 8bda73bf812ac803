import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * A request answered before its body was read (refused for want of a key, over the rate
 * limit, too large) has its connection closed with the answer: the rest of the body, which
 * nobody will read, may never come, and a client that sends it slowly or not at all would
 * otherwise hold the socket until REQUEST_TIMEOUT_MS. Such a request's connection is not
 * kept alive even if its body was on its way (Node parses it only once asked).
 */
export function closeUnfinishedRequests(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!request.raw.complete && announcesBody(request)) void reply.header('connection', 'close');
    done(null, payload);
  });
}

function announcesBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}
