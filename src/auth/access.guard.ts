import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC_METADATA, ROLES_METADATA, TIME_TRAVEL_ROLES_METADATA } from './access.decorators.js';
import { WWW_AUTHENTICATE, unauthenticatedBody } from './refuse-unauthenticated.js';
import type { Role } from './roles.js';

/**
 * Every route needs a key with one of its roles, unless it is public. Runs before the
 * body is validated and before any handler, so a refused request changes nothing.
 * A route that declares no roles refuses everyone: access is granted, never assumed.
 * A request without a valid key was already refused in its onRequest hook, before its
 * body was read (refuse-unauthenticated.ts); the check here stays as the last word.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** A route's access metadata (per class, then handler: a subclass may inherit a handler), read once: it is fixed when the class is declared. */
  private readonly accessOf = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.routeAccess(context);
    if (access.isPublic) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const authentication = request.authentication;
    if (authentication?.outcome !== 'authenticated') {
      void context.switchToHttp().getResponse<FastifyReply>().header('www-authenticate', WWW_AUTHENTICATE);
      throw new UnauthorizedException(unauthenticatedBody(authentication));
    }

    const required = requiredRoles(request, access);
    const { principal } = authentication;
    if (required.some((role) => principal.roles.has(role))) return true;
    throw new ForbiddenException({
      code: 'AUTH.FORBIDDEN',
      message:
        required.length === 0
          ? 'No key may use this route'
          : `The key of ${principal.name} lacks the role this needs: ${required.join(' or ')}`,
      details: { principal: principal.name, requiredRoles: required },
    });
  }

  private routeAccess(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    const controller = context.getClass();
    let ofClass = this.accessOf.get(controller);
    if (!ofClass) this.accessOf.set(controller, (ofClass = new WeakMap()));
    let access = ofClass.get(handler);
    if (!access) {
      const targets = [handler, controller];
      access = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, targets) === true,
        roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_METADATA, targets) ?? [],
        timeTravelRoles: this.reflector.getAllAndOverride<Role[] | undefined>(TIME_TRAVEL_ROLES_METADATA, targets),
      };
      ofClass.set(handler, access);
    }
    return access;
  }
}

/** What a route's decorators say about who may use it. */
interface RouteAccess {
  readonly isPublic: boolean;
  readonly roles: Role[];
  readonly timeTravelRoles: Role[] | undefined;
}

function requiredRoles(request: FastifyRequest, access: RouteAccess): Role[] {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const asksAboutThePast = query['asOf'] !== undefined || query['knownAt'] !== undefined;
  if (asksAboutThePast && access.timeTravelRoles) return access.timeTravelRoles;
  return access.roles;
}
