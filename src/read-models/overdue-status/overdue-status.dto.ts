import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DELINQUENCY_BUCKETS } from '../../loans/domain/standing/delinquency-bucket.js';
import { FIVE_CATEGORY_CLASSES } from '../../loans/domain/standing/risk-classification.js';

export const MAX_PAGE_SIZE = 500;

export class OverdueAmountsDto {
  @ApiProperty() principal!: string;
  @ApiProperty() interest!: string;
  @ApiProperty() penalty!: string;
  @ApiProperty() total!: string;
}

export class DueDto {
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty() amount!: string;
}

export class LastPaymentDto {
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty() amount!: string;
}

export class TimesReachedDto {
  @ApiProperty({ description: 'Delinquency episodes that reached 30 days past due' }) dpd30!: number;
  @ApiProperty() dpd60!: number;
  @ApiProperty() dpd90!: number;
}

export class OverdueStatusDto {
  @ApiProperty() loanId!: string;
  @ApiProperty() borrowerId!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: ['approved', 'cancelled', 'active', 'paid-off', 'written-off'] }) status!: string;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'The last closed business date the figures are as of' })
  asOf!: string | null;
  @ApiProperty() daysPastDue!: number;
  @ApiProperty({ enum: DELINQUENCY_BUCKETS }) bucket!: string;
  @ApiProperty({ enum: FIVE_CATEGORY_CLASSES }) classification!: string;
  @ApiProperty({ enum: [1, 2, 3] }) ifrs9Stage!: number;
  @ApiProperty({ type: OverdueAmountsDto }) overdue!: OverdueAmountsDto;
  @ApiProperty() principalOutstanding!: string;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) oldestUnpaidDueOn!: string | null;
  @ApiPropertyOptional({ type: DueDto, nullable: true }) nextDue!: DueDto | null;
  @ApiPropertyOptional({ type: LastPaymentDto, nullable: true }) lastPayment!: LastPaymentDto | null;
  @ApiProperty({ type: TimesReachedDto }) timesReached!: TimesReachedDto;
  @ApiProperty({ description: 'Restructured and still in its observation period: at least special mention' }) restructuringObservation!: boolean;
  @ApiProperty({ description: 'Received after write-off' }) recovered!: string;
}

export class OverdueListDto {
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) asOf!: string | null;
  @ApiProperty({ type: [OverdueStatusDto] }) items!: OverdueStatusDto[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' }) nextCursor!: string | null;
}

export class OverdueListQueryDto {
  @ApiPropertyOptional({ description: 'Only loans in this delinquency bucket', enum: DELINQUENCY_BUCKETS }) @IsOptional() @IsIn(DELINQUENCY_BUCKETS)
  bucket?: (typeof DELINQUENCY_BUCKETS)[number];
  @ApiPropertyOptional({ description: 'Only loans in this five-category class', enum: FIVE_CATEGORY_CLASSES }) @IsOptional() @IsIn(FIVE_CATEGORY_CLASSES)
  classification?: (typeof FIVE_CATEGORY_CLASSES)[number];
  @ApiPropertyOptional({ description: 'Only loans at least this many days past due', minimum: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100_000)
  minDpd?: number;
  @ApiPropertyOptional({ description: 'Only loans at most this many days past due', minimum: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100_000)
  maxDpd?: number;
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' }) @IsOptional() @IsString()
  cursor?: string;
  @ApiPropertyOptional({ description: 'Loans per page', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  limit?: number;
}

export class PortfolioSliceDto {
  @ApiProperty() key!: string;
  @ApiProperty() loans!: number;
  @ApiProperty() outstandingPrincipal!: string;
}

export class CurrencySummaryDto {
  @ApiProperty() currency!: string;
  @ApiProperty({ type: [PortfolioSliceDto] }) byBucket!: PortfolioSliceDto[];
  @ApiProperty({ type: [PortfolioSliceDto] }) byClassification!: PortfolioSliceDto[];
}

export class OverdueSummaryDto {
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) asOf!: string | null;
  @ApiProperty({ type: [CurrencySummaryDto], description: 'Active loans, per currency' }) currencies!: CurrencySummaryDto[];
}
