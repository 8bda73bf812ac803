import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../src/config/app-config.js';
import { createHttpApp } from '../../src/app/create-http-app.js';
import { bearer } from './api-keys.js';
import { silentLogger } from './silent-logger.js';

/**
 * The production HTTP application, started, whose `inject` sends the key holding every
 * role unless a request names its own `authorization` (or sends none, with `authorization: ''`).
 * Tests of who may do what (test/e2e/access.e2e.spec.ts) set the key on each request.
 */
export async function createTestApp(config: AppConfig, extraImports: ModuleMetadata['imports'] = []): Promise<NestFastifyApplication> {
  const app = await createHttpApp(config, silentLogger, extraImports);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const inject = app.inject.bind(app) as (options: { headers?: Record<string, string> }) => unknown;
  const withKey = (options: { headers?: Record<string, string> }) => inject({ ...options, headers: { ...bearer(), ...options.headers } });
  // Nest's application object is itself a proxy that refuses new properties: wrap it instead.
  return new Proxy(app, { get: (target, property, receiver) => (property === 'inject' ? withKey : Reflect.get(target, property, receiver)) });
}
