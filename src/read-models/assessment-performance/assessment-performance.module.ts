import { Module } from '@nestjs/common';
import { AssessmentPerformanceController } from './assessment-performance.controller.js';
import { AssessmentPerformanceQueryHandler } from './assessment-performance.query.js';
import { AssessmentPerformanceService } from './assessment-performance.service.js';

@Module({
  controllers: [AssessmentPerformanceController],
  providers: [AssessmentPerformanceService, AssessmentPerformanceQueryHandler],
  exports: [AssessmentPerformanceService],
})
export class AssessmentPerformanceModule {}
