import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsBusinessDate, IsInstant } from './validators/domain-validators.js';

/** Time travel on a view: as of a business date, and as the system knew it at an instant. */
export class AsOfQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'As of this business date: events that took effect on or before it' })
  @IsOptional()
  @IsBusinessDate()
  asOf?: string;

  @ApiPropertyOptional({ description: 'As known at this instant (ISO 8601 with offset): events recorded at or before it' })
  @IsOptional()
  @IsInstant()
  knownAt?: string;
}
