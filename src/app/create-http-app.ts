import type { ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { lazyRequestLogger } from './lazy-request-logger.js';
import { followApiKeysFile } from '../auth/follow-api-keys-file.js';
import type { ApiKeyRegistry } from '../auth/api-key-registry.js';
import { type LoadedApiKeys, describeGeneratedKeys, loadApiKeys } from '../auth/load-api-keys.js';
import { declareRouteAccess, refuseUnauthenticatedOnRequest } from '../auth/refuse-unauthenticated.js';
import { resolvePrincipalsOnRequest } from '../auth/request-principal.js';
import { closeUnfinishedRequests } from '../http/close-unfinished-requests.js';
import { connectionOptions } from '../http/connection-options.js';
import { limitRequestsPerKey } from '../http/limit-requests-per-key.js';
import { serveDashboard } from '../http/serve-dashboard.js';
import type { AppConfig } from '../config/app-config.js';
import { PinoNestLogger } from '../logging/pino-nest-logger.js';
import { ErrorFilter } from '../http/error.filter.js';
import { acceptJsonBodiesOnly } from '../http/json-bodies-only.js';
import { createValidationPipe } from '../http/validation-pipe.js';
import { StageTimingInterceptor, markEndOfOnRequest, profilingStages, timeRequestStages } from '../http/stage-timing.js';

/**
 * Builds the HTTP application exactly as production runs it (Fastify, validation, error
 * mapping, OpenAPI at /docs); the e2e tests use the same function.
 */
export async function createHttpApp(
  config: AppConfig,
  logger: Logger,
  extraImports: ModuleMetadata['imports'] = [],
  /** Keys of the caller's own instead of the configured ones: the simulator's, in its process. */
  ownKeys?: ApiKeyRegistry,
): Promise<NestFastifyApplication> {
  const apiKeys: LoadedApiKeys = ownKeys ? { registry: ownKeys, generated: [] } : loadApiKeys(config);
  // Straight to the console, never to the log: the secrets are shown this once.
  if (apiKeys.generated.length > 0) process.stderr.write(describeGeneratedKeys(apiKeys.generated, config.API_KEYS_FILE));

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger, extraImports, apiKeys.registry),
    new FastifyAdapter({
      loggerInstance: logger,
      childLoggerFactory: lazyRequestLogger,
      // No Nest middleware here (guards, pipes and Fastify hooks do that work): without it,
      // @fastify/middie's onRequest hook only cost every request ~2% of a read's CPU. A
      // middleware added one day fails the start (Fastify has no use() without middie), loudly.
      skipMiddie: true,
      bodyLimit: config.MAX_BODY_BYTES,
      ...connectionOptions(config),
    }),
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // First: the stage timer's onRequest hook starts the clock before any other (ARREARS_PROFILE_STAGES=1 only).
  timeRequestStages(fastify);
  acceptJsonBodiesOnly(fastify);
  closeUnfinishedRequests(fastify);
  resolvePrincipalsOnRequest(fastify, apiKeys.registry);
  if (apiKeys.file) {
    const stopFollowing = followApiKeysFile(apiKeys.file, apiKeys.registry, logger);
    fastify.addHook('onClose', async () => stopFollowing());
  }
  await limitRequestsPerKey(app, config.RATE_LIMIT_PER_MINUTE);
  // After the rate limit: a keyless request is counted, then refused, before its body is read.
  refuseUnauthenticatedOnRequest(fastify);
  markEndOfOnRequest(fastify);
  declareRouteAccess(app);
  await serveDashboard(app, logger);
  app.useGlobalPipes(createValidationPipe());
  if (profilingStages) app.useGlobalInterceptors(new StageTimingInterceptor());
  app.useGlobalFilters(new ErrorFilter(logger, config.MAX_BODY_BYTES));

  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
