import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody, FieldError } from '../kernel/errors/error-body.js';

export class FieldErrorDto implements FieldError {
  @ApiProperty({ description: 'Dotted path of the offending field (or header)', example: 'creditAssessment.score' })
  field!: string;

  @ApiProperty({ description: 'Each problem with the field', type: [String], example: ['score must not be greater than 1000'] })
  messages!: string[];
}

/** The one shape of every error response (DESIGN.md §5), as OpenAPI shows it. */
export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({ description: 'Stable code a client may branch on; see the error catalogue in the README', example: 'LOAN.NOT_DISBURSED' })
  code!: string;

  @ApiProperty({ description: 'A sentence for people; may change between versions', example: 'The loan has not been disbursed' })
  message!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'With 400 REQUEST.INVALID: each offending field and its problems' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Facts about the refusal (ids, dates) for programs' })
  details?: Record<string, unknown>;
}
