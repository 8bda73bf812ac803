import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeyRegistry, Principal } from './api-key-registry.js';

/** What the request's `Authorization` header came to. */
export type Authentication =
  | { readonly outcome: 'authenticated'; readonly principal: Principal }
  | { readonly outcome: 'missing' }
  | { readonly outcome: 'malformed' }
  | { readonly outcome: 'unknown-key' };

declare module 'fastify' {
  interface FastifyRequest {
    /** Null until the request's onRequest hook ran. */
    authentication: Authentication | null;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]{1,512}=*)$/;
const MISSING: Authentication = { outcome: 'missing' };

/**
 * Resolves the key of every request as it arrives, before its body is read, so that the
 * rate limit can count per key. A route that wants a key refuses a request without one
 * next, still before the body (refuse-unauthenticated.ts); which role it wants is the
 * access guard's decision.
 */
export function resolvePrincipalsOnRequest(fastify: FastifyInstance, registry: ApiKeyRegistry): void {
  fastify.decorateRequest('authentication', null);
  fastify.addHook('onRequest', async (request) => {
    request.authentication = authenticationOf(request, registry);
  });
}

function authenticationOf(request: FastifyRequest, registry: ApiKeyRegistry): Authentication {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return MISSING;
  const secret = BEARER.exec(header)?.[1];
  if (secret === undefined) return { outcome: 'malformed' };
  const principal = registry.authenticate(secret);
  return principal ? { outcome: 'authenticated', principal } : { outcome: 'unknown-key' };
}

/** The authenticated principal of a request, if any. */
export function principalOf(request: FastifyRequest): Principal | undefined {
  const authentication = request.authentication;
  return authentication?.outcome === 'authenticated' ? authentication.principal : undefined;
}
