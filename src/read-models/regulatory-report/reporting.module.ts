import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller.js';
import { RegulatoryReportService } from './regulatory-report.service.js';

@Module({
  controllers: [ReportsController],
  providers: [RegulatoryReportService],
  exports: [RegulatoryReportService],
})
export class ReportingModule {}
