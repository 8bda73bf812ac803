import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsBusinessDate } from '../../http/validators/domain-validators.js';
import { REPORT_FORMATS, type ReportFormat } from '../report-basis/rendered-report.js';

export class RegulatoryReportQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'A closed business date; default: the last one closed' })
  @IsOptional()
  @IsBusinessDate()
  asOf?: string;

  @ApiPropertyOptional({ description: 'json (default) or csv', enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}
