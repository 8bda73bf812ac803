import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { IsAmount, IsAnnualRate, IsBusinessDate, IsClientId, IsOmittable } from '../../http/validators/domain-validators.js';
import { RESTRUCTURING_REASONS, type RestructuringReason } from '../domain/loan-events.js';
import { ScheduledInstalmentDto } from './loan-command-results.dto.js';

const MAX_TERM_MONTHS = 480;
const MAX_HOLIDAY_MONTHS = 24;

/** New terms for a loan in trouble: at least one of termMonths, annualInterestRate and paymentHolidayMonths. */
export class RestructureLoanDto {
  @ApiProperty({ example: 'RS-2026-0001', description: 'Names this restructuring; one decision per id' }) @IsClientId()
  restructuringId!: string;
  @ApiProperty({ description: 'Business date the new terms take effect', example: '2026-04-01', format: 'date' }) @IsBusinessDate()
  effectiveOn!: string;
  @ApiProperty({ description: 'Why the loan is restructured', enum: RESTRUCTURING_REASONS }) @IsIn(RESTRUCTURING_REASONS)
  reason!: RestructuringReason;
  @ApiPropertyOptional({ type: 'integer', example: 24, description: 'Default: the number of instalments the old schedule had left' })
  @IsOmittable() @IsInt() @Min(1) @Max(MAX_TERM_MONTHS)
  termMonths?: number;
  @ApiPropertyOptional({ example: '0.12', description: 'Default: the rate in force' }) @IsOmittable() @IsAnnualRate()
  annualInterestRate?: string;
  @ApiPropertyOptional({ type: 'integer', example: 3, description: 'Months in which nothing falls due and no interest accrues' })
  @IsOmittable() @IsInt() @Min(0) @Max(MAX_HOLIDAY_MONTHS)
  paymentHolidayMonths?: number;
  @ApiProperty({ description: 'true: overdue interest and penalty become principal; false: they stay due with the first new instalment' })
  @IsBoolean()
  capitalise!: boolean;
}

export class WaivePenaltyDto {
  @ApiProperty({ description: 'Names this waiver; one per id on a loan', example: 'WV-0001' }) @IsClientId()
  waiverId!: string;
  @ApiProperty({ description: 'Business date of the waiver: not before penalty already accrued through', example: '2026-04-01', format: 'date' }) @IsBusinessDate()
  waivedOn!: string;
  @ApiProperty({ example: '120.00', description: 'A decimal amount, or "all" for every unit of penalty outstanding' })
  @ValidateIf((dto: WaivePenaltyDto) => dto.amount !== 'all')
  @IsAmount()
  amount!: string;
  @ApiProperty({ description: 'Why the penalty is waived', example: 'hardship programme' }) @IsString() @Length(1, 500)
  reason!: string;
  @ApiProperty({ description: 'Who approved the waiver', example: 'collections-manager:li.wei' }) @IsString() @Length(1, 128)
  approvedBy!: string;
}

export class WriteOffLoanDto {
  @ApiProperty({ description: 'Names this write-off', example: 'WO-0001' }) @IsClientId()
  writeOffId!: string;
  @ApiProperty({ description: 'Business date of the write-off', example: '2026-09-30', format: 'date' }) @IsBusinessDate()
  writtenOffOn!: string;
  @ApiProperty({ description: 'Why the loan is written off', example: 'uncollectable after 180 days' }) @IsString() @Length(1, 500)
  reason!: string;
}

export class RestructuringResultDto {
  @ApiProperty({ description: 'The loan restructured' }) loanId!: string;
  @ApiProperty({ description: 'The restructuring recorded' }) restructuringId!: string;
  @ApiProperty({ description: 'What the new schedule repays' }) principal!: string;
  @ApiProperty({ description: 'Interest overdue at the restructuring' }) overdueInterest!: string;
  @ApiProperty({ description: 'Penalty overdue at the restructuring' }) overduePenalty!: string;
  @ApiProperty({ description: 'True when overdue interest and penalty became principal' }) capitalised!: boolean;
  @ApiProperty({ description: 'Interest the old schedule had not yet charged, no longer owed' }) interestForgone!: string;
  @ApiProperty({ type: [ScheduledInstalmentDto], description: 'The new schedule' }) schedule!: ScheduledInstalmentDto[];
}

export class PenaltyWaiverResultDto {
  @ApiProperty({ description: 'The loan' }) loanId!: string;
  @ApiProperty({ description: 'The waiver recorded' }) waiverId!: string;
  @ApiProperty({ description: 'Penalty waived' }) amount!: string;
}

export class WriteOffResultDto {
  @ApiProperty({ description: 'The loan written off' }) loanId!: string;
  @ApiProperty({ description: 'The write-off recorded' }) writeOffId!: string;
  @ApiProperty({ description: 'Principal written off' }) principal!: string;
  @ApiProperty({ description: 'Interest written off' }) interest!: string;
  @ApiProperty({ description: 'Penalty written off' }) penalty!: string;
}
