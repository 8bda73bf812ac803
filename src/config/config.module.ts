import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../logging/logger.token.js';
import { AppConfig } from './app-config.js';
import { BUSINESS_CLOCK, type BusinessClock, businessClock } from '../kernel/dates/business-clock.js';
import { FutureDateGuard } from '../kernel/dates/future-date-guard.js';
import { ConductPolicies } from './conduct-policy.provider.js';

/** The system clock, or one standing still at CLOCK_FROZEN_AT; dated in COB_TIME_ZONE. */
export function clockOf(config: Pick<AppConfig, 'CLOCK_FROZEN_AT' | 'COB_TIME_ZONE'>): BusinessClock {
  if (config.CLOCK_FROZEN_AT === '') return businessClock(config.COB_TIME_ZONE, () => new Date());
  const frozen = new Date(config.CLOCK_FROZEN_AT);
  return businessClock(config.COB_TIME_ZONE, () => new Date(frozen));
}

/** Makes the validated configuration, the logger, the business clock, its future-date guard and the conduct policies injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    const clock = clockOf(config);
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: BUSINESS_CLOCK, useValue: clock },
        { provide: FutureDateGuard, useValue: new FutureDateGuard(clock, config.BUSINESS_DATE_TOLERANCE_DAYS) },
        ConductPolicies,
      ],
      exports: [AppConfig, LOGGER, BUSINESS_CLOCK, FutureDateGuard, ConductPolicies],
    };
  }
}
