import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DELINQUENCY_BUCKETS } from '../../loans/domain/standing/delinquency-bucket.js';
import { FIVE_CATEGORY_CLASSES } from '../../loans/domain/standing/risk-classification.js';

export const MAX_PAGE_SIZE = 500;

export class OverdueAmountsDto {
  @ApiProperty({ description: 'Principal fallen due and unpaid' }) principal!: string;
  @ApiProperty({ description: 'Interest fallen due and unpaid' }) interest!: string;
  @ApiProperty({ description: 'Penalty accrued and unpaid' }) penalty!: string;
  @ApiProperty({ description: 'principal + interest + penalty' }) total!: string;
}

export class DueDto {
  @ApiProperty({ description: 'Business date the next instalment falls due', format: 'date' }) dueOn!: string;
  @ApiProperty({ description: 'What falls due then' }) amount!: string;
}

export class LastPaymentDto {
  @ApiProperty({ description: 'Business date of the last payment received', format: 'date' }) on!: string;
  @ApiProperty({ description: 'Its amount' }) amount!: string;
}

export class TimesReachedDto {
  @ApiProperty({ description: 'Delinquency episodes that reached 30 days past due' }) dpd30!: number;
  @ApiProperty({ description: 'Delinquency episodes that reached 60 days past due' }) dpd60!: number;
  @ApiProperty({ description: 'Delinquency episodes that reached 90 days past due' }) dpd90!: number;
}

export class OverdueStatusDto {
  @ApiProperty({ description: "The loan's id" }) loanId!: string;
  @ApiProperty({ description: "The borrower's id" }) borrowerId!: string;
  @ApiProperty({ description: 'ISO 4217 code of every amount' }) currency!: string;
  @ApiProperty({ description: "The loan's status", enum: ['approved', 'cancelled', 'active', 'paid-off', 'written-off'] }) status!: string;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'The last closed business date the figures are as of' })
  asOf!: string | null;
  @ApiProperty({ description: 'Days since the oldest unpaid due date' }) daysPastDue!: number;
  @ApiProperty({ description: 'Delinquency bucket of daysPastDue', enum: DELINQUENCY_BUCKETS }) bucket!: string;
  @ApiProperty({ description: 'Five-category loan classification', enum: FIVE_CATEGORY_CLASSES }) classification!: string;
  @ApiProperty({ description: 'IFRS 9 impairment stage', enum: [1, 2, 3] }) ifrs9Stage!: number;
  @ApiProperty({ description: 'What has fallen due and is unpaid', type: OverdueAmountsDto }) overdue!: OverdueAmountsDto;
  @ApiProperty({ description: 'All principal not yet repaid, fallen due or not' }) principalOutstanding!: string;
  @ApiPropertyOptional({ description: 'Due date of the oldest unpaid instalment; null when none is unpaid', type: String, format: 'date', nullable: true }) oldestUnpaidDueOn!: string | null;
  @ApiPropertyOptional({ description: 'The next instalment to fall due; null when none is left', type: DueDto, nullable: true }) nextDue!: DueDto | null;
  @ApiPropertyOptional({ description: 'The last payment received; null before the first', type: LastPaymentDto, nullable: true }) lastPayment!: LastPaymentDto | null;
  @ApiProperty({ description: 'How often the loan reached each threshold', type: TimesReachedDto }) timesReached!: TimesReachedDto;
  @ApiProperty({ description: 'Restructured and still in its observation period: at least special mention' }) restructuringObservation!: boolean;
  @ApiProperty({ description: 'Received after write-off' }) recovered!: string;
}

export class OverdueListDto {
  @ApiPropertyOptional({ description: 'The last closed business date the figures are as of; null before the first close', type: String, format: 'date', nullable: true }) asOf!: string | null;
  @ApiProperty({ description: 'A page of overdue loans', type: [OverdueStatusDto] }) items!: OverdueStatusDto[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' }) nextCursor!: string | null;
}

export class OverdueListQueryDto {
  @ApiPropertyOptional({ description: 'Only loans in this delinquency bucket', enum: DELINQUENCY_BUCKETS }) @IsOptional() @IsIn(DELINQUENCY_BUCKETS)
  bucket?: (typeof DELINQUENCY_BUCKETS)[number];
  @ApiPropertyOptional({ description: 'Only loans in this five-category class', enum: FIVE_CATEGORY_CLASSES }) @IsOptional() @IsIn(FIVE_CATEGORY_CLASSES)
  classification?: (typeof FIVE_CATEGORY_CLASSES)[number];
  @ApiPropertyOptional({ type: 'integer', description: 'Only loans at least this many days past due', minimum: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100_000)
  minDpd?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Only loans at most this many days past due', minimum: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100_000)
  maxDpd?: number;
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' }) @IsOptional() @IsString()
  cursor?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Loans per page', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  limit?: number;
}

export class PortfolioSliceDto {
  @ApiProperty({ description: 'The bucket or class' }) key!: string;
  @ApiProperty({ description: 'Loans in it' }) loans!: number;
  @ApiProperty({ description: 'Their principal not yet repaid' }) outstandingPrincipal!: string;
}

export class CurrencySummaryDto {
  @ApiProperty({ description: 'ISO 4217 code of the amounts' }) currency!: string;
  @ApiProperty({ description: 'By delinquency bucket', type: [PortfolioSliceDto] }) byBucket!: PortfolioSliceDto[];
  @ApiProperty({ description: 'By five-category class', type: [PortfolioSliceDto] }) byClassification!: PortfolioSliceDto[];
}

export class OverdueSummaryDto {
  @ApiPropertyOptional({ description: 'The last closed business date the figures are as of; null before the first close', type: String, format: 'date', nullable: true }) asOf!: string | null;
  @ApiProperty({ type: [CurrencySummaryDto], description: 'Active loans, per currency' }) currencies!: CurrencySummaryDto[];
}
