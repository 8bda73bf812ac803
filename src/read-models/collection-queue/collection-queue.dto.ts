import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsInstant } from '../../http/validators/domain-validators.js';
import { DELINQUENCY_BUCKETS, type DelinquencyBucket } from '../../loans/domain/standing/delinquency-bucket.js';
import { MAX_PAGE_SIZE } from '../overdue-status/overdue-status.dto.js';

export class CollectionQueueQueryDto {
  @ApiPropertyOptional({ description: 'Only loans in this delinquency bucket', enum: DELINQUENCY_BUCKETS }) @IsOptional() @IsIn(DELINQUENCY_BUCKETS)
  bucket?: DelinquencyBucket;
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' }) @IsOptional() @IsString()
  cursor?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Loans per page', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  limit?: number;
  @ApiPropertyOptional({ description: "The instant contacts and the next allowed contact are judged at; defaults to now (the engine's business clock)" })
  @IsOptional()
  @IsInstant()
  at?: string;
}

export class LastContactDto {
  @ApiProperty({ description: 'When the last contact happened' }) at!: string;
  @ApiProperty({ description: 'How' }) channel!: string;
  @ApiProperty({ description: 'What came of it' }) outcome!: string;
}

export class OpenPromiseDto {
  @ApiProperty({ description: 'Amount promised' }) amount!: string;
  @ApiProperty({ description: 'Business date it was promised by', format: 'date' }) dueOn!: string;
}

export class RestrictionViewDto {
  @ApiProperty({ description: 'cease-all: no contact at all; channel-opt-out: none on `channel`', enum: ['cease-all', 'channel-opt-out'] }) kind!: string;
  @ApiPropertyOptional({ description: 'The channel opted out of; null for cease-all', type: String, nullable: true }) channel!: string | null;
  @ApiProperty({ description: 'When the borrower asked: the restriction is honoured from this instant' }) requestedAt!: string;
  @ApiProperty({ description: 'Honoured from this instant: always equal to requestedAt; kept for existing clients' }) effectiveAt!: string;
}

export class CollectionQueueItemDto {
  @ApiProperty({ description: 'The loan to work' }) loanId!: string;
  @ApiProperty({ description: 'Its borrower' }) borrowerId!: string;
  @ApiProperty({ description: 'Days past due' }) daysPastDue!: number;
  @ApiProperty({ description: 'Delinquency bucket' }) bucket!: string;
  @ApiProperty({ description: 'Overdue principal, interest and penalty' }) amountDue!: string;
  @ApiProperty({ description: 'A promise to pay on this loan was broken' }) brokenPromise!: boolean;
  @ApiPropertyOptional({ description: 'A promise to pay not yet due; null when none', type: OpenPromiseDto, nullable: true }) openPromise!: OpenPromiseDto | null;
  @ApiPropertyOptional({ description: 'The last contact about the loan; null before the first', type: LastContactDto, nullable: true }) lastContact!: LastContactDto | null;
  @ApiProperty({ description: 'Contacts about this loan in the 7 days before `at`' }) contactsLast7Days!: number;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'First instant a phone call to the borrower breaks no rule; null when only the borrower can lift one' })
  nextAllowedContactAt!: string | null;
  @ApiProperty({ description: "The borrower's stop requests in force", type: [RestrictionViewDto] }) restrictions!: RestrictionViewDto[];
}

export class CollectionQueueDto {
  @ApiPropertyOptional({ description: 'The last closed business date; null before the first close', type: String, format: 'date', nullable: true }) asOf!: string | null;
  @ApiProperty({ type: [CollectionQueueItemDto], description: 'Broken promises first, then days past due descending' })
  items!: CollectionQueueItemDto[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; null on the last', type: String, nullable: true }) nextCursor!: string | null;
}
