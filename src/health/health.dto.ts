import { ApiProperty } from '@nestjs/swagger';

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'], description: 'degraded when a projection has stopped on a failure' })
  status!: 'ok' | 'degraded';
  @ApiProperty({ description: 'Global position of the newest event' }) headPosition!: number;
  @ApiProperty({ type: [String], description: 'Projections stopped on a failure' }) failedProjections!: string[];
}
