import type { INestApplication } from '@nestjs/common';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { ErrorBody } from '../kernel/errors/error-body.js';
import { PUBLIC_METADATA } from './access.decorators.js';
import { controllerRoutes, reflectorOf } from './controller-routes.js';
import type { Authentication } from './request-principal.js';

/** Set in the Fastify route config of every controller route: whether it needs a valid key. */
const ACCESS = 'arrearsAccess';
type Access = 'public' | 'key';

declare module 'fastify' {
  interface FastifyContextConfig {
    [ACCESS]?: Access;
  }
}

const UNAUTHENTICATED_MESSAGES = {
  missing: 'An API key is required: Authorization: Bearer <key>',
  malformed: 'The Authorization header must be: Bearer <key>',
  'unknown-key': 'The API key is not one this engine accepts',
} as const;

/** The body of the 401 of a request without a valid key, `{ code, message }` as every error (DESIGN.md §5). */
export function unauthenticatedBody(authentication: Authentication | null): ErrorBody {
  const outcome = authentication === null || authentication.outcome === 'authenticated' ? 'missing' : authentication.outcome;
  return { code: 'AUTH.UNAUTHENTICATED', message: UNAUTHENTICATED_MESSAGES[outcome] };
}

export const WWW_AUTHENTICATE = 'Bearer realm="arrears"';

/**
 * Writes into the Fastify route config of every controller route whether it needs a key:
 * all do but those marked @Public (on the handler or its controller). To be called after
 * the application is created and before it is initialised, when Nest registers the routes
 * with Fastify and hands each the config that @RouteConfig would. Routes that are not
 * controllers' (the dashboard's files, /docs) get no such mark and stay open.
 */
export function declareRouteAccess(app: INestApplication): void {
  const reflector = reflectorOf(app);
  for (const { handler, targets } of controllerRoutes(app)) {
    const isPublic = reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets) === true;
    const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<string, unknown>;
    const access: Access = isPublic ? 'public' : 'key';
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, [ACCESS]: access }, handler);
  }
}

/**
 * Refuses a request without a valid key to a route that needs one in its `onRequest` hook,
 * before its body is read: a client that announces a body and sends it slowly, or never,
 * gets its 401 at once rather than when (if ever) the body is complete, and its connection
 * is closed (close-unfinished-requests.ts) rather than kept for a body nobody wants. The
 * hook is the route's own and added after the rate limit's (call this after registering
 * the limit), so keyless requests still count towards their address's limit. Which role
 * the key needs stays the access guard's decision, made from the handler's metadata once
 * the route is reached.
 */
export function refuseUnauthenticatedOnRequest(fastify: FastifyInstance): void {
  const refuseWithoutKey: onRequestHookHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.authentication?.outcome === 'authenticated') return;
    // Answered here rather than thrown to the error filter: a flood of keyless requests costs the least it can.
    return reply.code(401).header('www-authenticate', WWW_AUTHENTICATE).send(unauthenticatedBody(request.authentication));
  };
  fastify.addHook('onRoute', (route) => {
    if (route.config?.[ACCESS] !== 'key') return;
    const hooks = route.onRequest;
    route.onRequest = hooks === undefined ? [refuseWithoutKey] : [...(Array.isArray(hooks) ? hooks : [hooks]), refuseWithoutKey];
  });
}
