import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard.js';
import { ApiKeyRegistry } from './api-key-registry.js';
import { ApiKeysController } from './api-keys.controller.js';

/** Guards every route with the configured API keys and their roles. */
@Module({})
export class AuthModule {
  static forRoot(registry: ApiKeyRegistry): DynamicModule {
    return {
      module: AuthModule,
      controllers: [ApiKeysController],
      providers: [{ provide: ApiKeyRegistry, useValue: registry }, { provide: APP_GUARD, useClass: AccessGuard }],
      exports: [ApiKeyRegistry],
    };
  }
}
