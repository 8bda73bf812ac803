import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../logging/logger.token.js';
import { AppConfig } from './app-config.js';

/** Makes the validated configuration and the logger injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: LOGGER, useValue: logger },
      ],
      exports: [AppConfig, LOGGER],
    };
  }
}
