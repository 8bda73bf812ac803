import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One recorded event as an examiner reads it: what happened, where in the log, who asked, and why. */
export class RecordedEventDto {
  @ApiProperty() type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
  @ApiProperty({ description: 'Position in its stream, from 0' }) revision!: number;
  @ApiProperty({ description: 'Position in the global log' }) position!: number;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The principal that sent the command' }) actor!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) commandId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) correlationId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) causationId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Everything recorded with the event' }) metadata!: Record<string, unknown>;
}

export class EventLogDto {
  @ApiProperty() stream!: string;
  @ApiProperty({ type: [RecordedEventDto] }) events!: RecordedEventDto[];
}
