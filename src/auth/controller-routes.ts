import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';

/** One route handler of a controller, with what its metadata is read from (the handler, then its class). */
export interface ControllerRoute {
  readonly controller: string;
  readonly method: string;
  readonly handler: (...args: unknown[]) => unknown;
  readonly targets: [Function, Function];
}

/**
 * Every route handler of every controller in the application: what route access is marked
 * on (refuse-unauthenticated.ts) and what the API document says each route needs
 * (app/openapi), read the same way so the two cannot disagree.
 */
export function* controllerRoutes(app: INestApplication): Generator<ControllerRoute> {
  const scanner = new MetadataScanner();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const route = handler as (...args: unknown[]) => unknown;
        yield { controller: metatype.name, method: name, handler: route, targets: [route, metatype] };
      }
    }
  }
}

/** The application's reflector, for reading route metadata off a ControllerRoute's targets. */
export const reflectorOf = (app: INestApplication): Reflector => app.get(Reflector);
