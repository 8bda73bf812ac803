import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsBusinessDate } from '../../http/validators/domain-validators.js';
import { REPORT_FORMATS, type ReportFormat } from '../report-basis/rendered-report.js';
import { DEFAULT_WINDOW_MONTHS, OUTCOMES, type Outcome } from './assessment-performance.js';

export class AssessmentPerformanceQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'A closed business date; default: the last one closed' })
  @IsOptional()
  @IsBusinessDate()
  asOf?: string;

  @ApiPropertyOptional({ enum: OUTCOMES, default: 'dpd30', description: 'A loan is bad when it reached 30 (or 90) days past due within the window' })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: Outcome;

  @ApiPropertyOptional({ default: DEFAULT_WINDOW_MONTHS, minimum: 1, maximum: 120, description: 'Months after disbursement the outcome is judged over; only loans disbursed at least this long before asOf count' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(120)
  window?: number;

  @ApiPropertyOptional({ description: 'json (default) or csv', enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}
