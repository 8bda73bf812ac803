import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsYearMonth } from '../../http/validators/domain-validators.js';

export class CreditHistoryQueryDto {
  @ApiPropertyOptional({ example: '2026-10', description: 'A month whose last day is closed; default: the last such month' })
  @IsOptional()
  @IsYearMonth()
  asOf?: string;
}
