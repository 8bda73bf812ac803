import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module.js';
import { CreditHistoryService } from './credit-history.service.js';
import { ReportsController } from './http/reports.controller.js';
import { RegulatoryReportService } from './regulatory-report.service.js';

@Module({
  imports: [ProjectionsModule],
  controllers: [ReportsController],
  providers: [RegulatoryReportService, CreditHistoryService],
  exports: [RegulatoryReportService],
})
export class ReportingModule {}
