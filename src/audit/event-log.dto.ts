import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One recorded event as an examiner reads it: what happened, where in the log, who asked, and why. */
export class RecordedEventDto {
  @ApiProperty({ description: "The event's type" }) type!: string;
  @ApiProperty({ description: "The event's data as recorded", type: 'object', additionalProperties: true }) data!: unknown;
  @ApiProperty({ description: 'Position in its stream, from 0' }) revision!: number;
  @ApiProperty({ description: 'Position in the global log' }) position!: number;
  @ApiProperty({ description: 'When it was appended', format: 'date-time' }) recordedAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The principal that sent the command' }) actor!: string | null;
  @ApiPropertyOptional({ description: 'The command that appended it', type: String, nullable: true }) commandId!: string | null;
  @ApiPropertyOptional({ description: 'The correlation id the command carried', type: String, nullable: true }) correlationId!: string | null;
  @ApiPropertyOptional({ description: 'What caused the command', type: String, nullable: true }) causationId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Everything recorded with the event' }) metadata!: Record<string, unknown>;
}

export class EventLogDto {
  @ApiProperty({ description: 'The stream' }) stream!: string;
  @ApiProperty({ description: 'Its events, in order', type: [RecordedEventDto] }) events!: RecordedEventDto[];
}
