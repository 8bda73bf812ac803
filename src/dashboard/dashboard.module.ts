import { Module } from '@nestjs/common';
import { ReportingModule } from '../read-models/regulatory-report/reporting.module.js';
import { DashboardService } from './dashboard.service.js';
import { DashboardController } from './dashboard.controller.js';

/** The query API behind the operator dashboard (its page is served from `/`). */
@Module({
  imports: [ReportingModule],
  controllers: [DashboardController],
  providers: [DashboardService],
})
export class DashboardModule {}
