import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module.js';
import { ReportingModule } from '../reporting/reporting.module.js';
import { DashboardService } from './dashboard.service.js';
import { DashboardController } from './http/dashboard.controller.js';

/** The query API behind the operator dashboard (its page is served from `/`). */
@Module({
  imports: [ProjectionsModule, ReportingModule],
  controllers: [DashboardController],
  providers: [DashboardService],
})
export class DashboardModule {}
