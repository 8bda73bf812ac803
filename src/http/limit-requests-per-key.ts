import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { principalOf } from '../auth/request-principal.js';

const ONE_MINUTE_MS = 60_000;
const HEALTH_ROUTE = '/health';

/**
 * At most `perMinute` requests per API key (per client address for requests without a valid
 * key: the connection's, or the forwarded one when TRUST_PROXY trusts the proxy in between),
 * counted as each request arrives; beyond that, 429 with `retry-after`. `GET /health` is not
 * limited. Counts are kept per process: behind several instances a key may make that many on each.
 */
export async function limitRequestsPerKey(app: NestFastifyApplication, perMinute: number): Promise<void> {
  await app.register(rateLimit, {
    max: perMinute,
    timeWindow: ONE_MINUTE_MS,
    // A load balancer's health checks come keyless from one address: they must never be the ones refused.
    allowList: (request) => isHealthCheck(request.url),
    keyGenerator: (request) => {
      const principal = principalOf(request);
      return principal ? `key:${principal.keyId}` : `address:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`Rate limit of ${context.max} requests a minute reached; retry in ${context.after}`), {
        statusCode: 429,
        code: 'RATE_LIMITED',
      }), // answered as REQUEST.RATE_LIMITED by the error filter, like Fastify's other request errors
  });
}

/** Compared in place: splitting every request's URL cost more than the rest of the check. */
function isHealthCheck(url: string): boolean {
  return url.startsWith(HEALTH_ROUTE) && (url.length === HEALTH_ROUTE.length || url.charCodeAt(HEALTH_ROUTE.length) === QUESTION_MARK);
}

const QUESTION_MARK = 0x3f;
