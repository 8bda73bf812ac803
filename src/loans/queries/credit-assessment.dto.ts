import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, IsString, Length, Max, Min } from 'class-validator';
import { IsBusinessDate, IsInstant } from '../../http/validators/domain-validators.js';

/*
 * The credit assessment and risk disclosure an origination carries: validated on the way in
 * (originate-loan.dto.ts) and shown as recorded in the loan view.
 */

export class CreditAssessmentDto {
  @ApiProperty({ description: 'The credit score the assessment gave', example: 712 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-1e9) @Max(1e9)
  score!: number;
  @ApiProperty({ description: 'The credit grade the assessment gave; reports group loans by it', example: 'B' }) @IsString() @Length(1, 16)
  grade!: string;
  @ApiProperty({ description: 'Which scorecard or bureau assessed the borrower', example: 'internal-scorecard-v3' }) @IsString() @Length(1, 64)
  source!: string;
  @ApiProperty({ description: 'Business date of the assessment: on or before the origination', example: '2026-01-09', format: 'date' }) @IsBusinessDate()
  assessedOn!: string;
}

export class RiskDisclosureDto {
  @ApiProperty({ description: 'Version of the risk disclosure the borrower accepted', example: 'rd-2026-01' }) @IsString() @Length(1, 64)
  version!: string;
  @ApiProperty({ description: 'When the borrower accepted it (ISO 8601 with offset): on or before the origination', example: '2026-01-09T20:15:00+08:00', format: 'date-time' }) @IsInstant()
  acceptedAt!: string;
}
