import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { AuditModule } from '../audit/audit.module.js';
import { ApiKeyRegistry } from '../auth/api-key-registry.js';
import { AuthModule } from '../auth/auth.module.js';
import { CloseOfBusinessModule } from '../close-of-business/close-of-business.module.js';
import { CollectionsModule } from '../collections/collections.module.js';
import { DashboardModule } from '../dashboard/dashboard.module.js';
import { ConfigModule } from '../config/config.module.js';
import { HealthModule } from '../health/health.module.js';
import { InfrastructureModule } from './infrastructure.module.js';
import { LoansModule } from '../loans/loans.module.js';
import { OverdueStatusModule } from '../read-models/overdue-status/overdue-status.module.js';
import { ProjectionsModule } from '../infrastructure/projections/projections.module.js';
import { allProjections } from '../read-models/all-projections.js';
import { CollectionQueueModule } from '../read-models/collection-queue/collection-queue.module.js';
import { CreditHistoryModule } from '../read-models/credit-history/credit-history.module.js';
import { ReportingModule } from '../read-models/regulatory-report/reporting.module.js';
import { AssessmentPerformanceModule } from '../read-models/assessment-performance/assessment-performance.module.js';

@Module({})
export class AppModule {
  /**
   * `extraImports` lets tests mount a module of their own on the real application. Without
   * `apiKeys` no key is accepted: right for the CLI and benchmarks, which serve no HTTP.
   */
  static forRoot(
    config: AppConfig,
    logger: Logger,
    extraImports: ModuleMetadata['imports'] = [],
    apiKeys: ApiKeyRegistry = new ApiKeyRegistry([]),
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        CqrsModule.forRoot(),
        AuthModule.forRoot(apiKeys),
        InfrastructureModule,
        ProjectionsModule.forRoot(allProjections),
        HealthModule,
        LoansModule,
        CloseOfBusinessModule,
        OverdueStatusModule,
        CollectionsModule,
        CollectionQueueModule,
        ReportingModule,
        AssessmentPerformanceModule,
        CreditHistoryModule,
        AuditModule,
        DashboardModule,
        ...extraImports,
      ],
    };
  }
}
