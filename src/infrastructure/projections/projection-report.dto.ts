import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ProjectionFailureDto {
  @ApiProperty({ description: 'Global position of the event the handler threw on' }) position!: number;
  @ApiProperty({ description: 'Id of that event' }) eventId!: string;
  @ApiProperty({ description: 'Type of that event' }) eventType!: string;
  @ApiProperty({ description: 'Stream of that event' }) stream!: string;
  @ApiProperty({ description: 'What the handler threw' }) message!: string;
  @ApiProperty({ description: 'When it failed', format: 'date-time' }) failedAt!: string;
}

export class ProjectionReportDto {
  @ApiProperty({ description: 'The projection', example: 'stream-catalogue' }) name!: string;
  @ApiProperty({ description: 'Its version: a new one rebuilds it from the first event', example: 1 }) version!: number;
  @ApiProperty({ description: 'Global position of the last event applied', example: 1024 }) checkpoint!: number;
  @ApiProperty({ description: 'Events appended after the checkpoint', example: 0 }) lag!: number;
  @ApiProperty({ description: 'What it is doing', enum: ['idle', 'rebuilding', 'catching-up', 'live', 'failed', 'stopped'] }) state!: string;
  @ApiPropertyOptional({ description: 'Present when it failed: where and why', type: ProjectionFailureDto }) failure?: ProjectionFailureDto;
}
