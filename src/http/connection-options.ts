import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import { type AppConfig, type TrustProxy, parseTrustProxy } from '../config/app-config.js';
import type { ErrorBody } from '../kernel/errors/error-body.js';

/**
 * The Fastify server options that bound what a connection may hold: the time a request may
 * take to arrive (headers and body), the idle time between requests and on a quiet socket,
 * and which forwarded addresses to believe. Node checks for late requests every tenth of
 * REQUEST_TIMEOUT_MS (at most every second, its default is 30 s), so a request that has not
 * arrived is answered 408 and its socket closed within 1.1 × REQUEST_TIMEOUT_MS.
 */
export function connectionOptions(config: AppConfig) {
  const checkEveryMs = Math.min(1_000, Math.max(50, Math.floor(config.REQUEST_TIMEOUT_MS / 10)));
  return {
    trustProxy: fastifyTrustProxy(parseTrustProxy(config.TRUST_PROXY) ?? false),
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: config.SOCKET_IDLE_TIMEOUT_MS,
    http: {
      // Node's default of 60 s would let headers trickle in for longer than the whole request may take.
      headersTimeout: config.REQUEST_TIMEOUT_MS,
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: checkEveryMs,
    },
    clientErrorHandler: answerClientError(config.REQUEST_TIMEOUT_MS),
  } satisfies FastifyHttpOptions<Server>;
}

/**
 * A hop count as proxy-addr always read it, the nearest n addresses: Fastify 5.12 no longer
 * takes a number (it cannot tell a proxy from a client connecting directly, which `true`
 * cannot either), so it is given as the function it used to stand for.
 */
function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

/**
 * What Node reports on a connection before a request reaches Fastify (a request that did
 * not arrive in time, headers too large, bytes that are not HTTP) answered in the one error
 * shape, `{ code, message }`, and the socket closed, as Fastify's own handler does.
 */
function answerClientError(requestTimeoutMs: number) {
  return function (this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, body] = describe(error, requestTimeoutMs);
    this.log.debug({ err: error, status }, 'client error: connection closed');
    // A request answered already (a 401 before its body came) is not answered twice; Node's own handler checks the same.
    const answered = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (socket.writable && !answered) {
      const text = JSON.stringify(body);
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    }
    socket.destroy(error);
  };
}

function describe(error: Error & { code?: string }, requestTimeoutMs: number): [number, ErrorBody] {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return [408, { code: 'REQUEST.TIMEOUT', message: `The request (headers and body) did not arrive within ${requestTimeoutMs} ms` }];
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') return [431, { code: 'REQUEST.HEADERS_TOO_LARGE', message: 'The request headers are too large' }];
  return [400, { code: 'REQUEST.MALFORMED', message: 'The request is not well-formed HTTP' }];
}
