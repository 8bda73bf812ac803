import type { ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { AppModule } from '../app.module.js';
import type { AppConfig } from '../config/app-config.js';
import { PinoNestLogger } from '../logging/pino-nest-logger.js';
import { ErrorFilter } from './error.filter.js';
import { createValidationPipe } from './validation-pipe.js';

/** Request bodies larger than this are refused with 413 before they are parsed. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Builds the HTTP application exactly as production runs it (Fastify, validation, error
 * mapping, OpenAPI at /docs); the e2e tests use the same function.
 */
export async function createHttpApp(
  config: AppConfig,
  logger: Logger,
  extraImports: ModuleMetadata['imports'] = [],
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger, extraImports),
    new FastifyAdapter({ loggerInstance: logger, bodyLimit: BODY_LIMIT_BYTES }),
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter(logger));

  const openApi = new DocumentBuilder()
    .setTitle('Arrears')
    .setDescription('Event-sourced loan servicing: commands, projections and audit views')
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
