import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller.js';
import { RegulatoryReportService } from './regulatory-report.service.js';
import { RegulatoryReportQueryHandler } from './regulatory-report.query.js';

@Module({
  controllers: [ReportsController],
  providers: [RegulatoryReportService, RegulatoryReportQueryHandler],
  exports: [RegulatoryReportService],
})
export class ReportingModule {}
