import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsBusinessDate, IsYearMonth } from '../../http/validators/domain-validators.js';
import { REPORT_FORMATS, type ReportFormat } from '../rendered-report.js';

export class RegulatoryReportQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'A closed business date; default: the last one closed' })
  @IsOptional()
  @IsBusinessDate()
  asOf?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class CreditHistoryQueryDto {
  @ApiPropertyOptional({ example: '2026-10', description: 'A month whose last day is closed; default: the last such month' })
  @IsOptional()
  @IsYearMonth()
  asOf?: string;
}
