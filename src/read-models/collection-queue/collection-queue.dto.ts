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
  @ApiPropertyOptional({ description: 'Loans per page', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  limit?: number;
  @ApiPropertyOptional({ description: "The instant contacts and the next allowed contact are judged at; defaults to now (the engine's business clock)" })
  @IsOptional()
  @IsInstant()
  at?: string;
}

export class LastContactDto {
  @ApiProperty() at!: string;
  @ApiProperty() channel!: string;
  @ApiProperty() outcome!: string;
}

export class OpenPromiseDto {
  @ApiProperty() amount!: string;
  @ApiProperty({ format: 'date' }) dueOn!: string;
}

export class RestrictionViewDto {
  @ApiProperty({ enum: ['cease-all', 'channel-opt-out'] }) kind!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) channel!: string | null;
  @ApiProperty({ description: 'When the borrower asked: the restriction is honoured from this instant' }) requestedAt!: string;
  @ApiProperty({ description: 'Honoured from this instant: always equal to requestedAt; kept for existing clients' }) effectiveAt!: string;
}

export class CollectionQueueItemDto {
  @ApiProperty() loanId!: string;
  @ApiProperty() borrowerId!: string;
  @ApiProperty() daysPastDue!: number;
  @ApiProperty() bucket!: string;
  @ApiProperty({ description: 'Overdue principal, interest and penalty' }) amountDue!: string;
  @ApiProperty({ description: 'A promise to pay on this loan was broken' }) brokenPromise!: boolean;
  @ApiPropertyOptional({ type: OpenPromiseDto, nullable: true }) openPromise!: OpenPromiseDto | null;
  @ApiPropertyOptional({ type: LastContactDto, nullable: true }) lastContact!: LastContactDto | null;
  @ApiProperty({ description: 'Contacts about this loan in the 7 days before `at`' }) contactsLast7Days!: number;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'First instant a phone call to the borrower breaks no rule; null when only the borrower can lift one' })
  nextAllowedContactAt!: string | null;
  @ApiProperty({ type: [RestrictionViewDto] }) restrictions!: RestrictionViewDto[];
}

export class CollectionQueueDto {
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) asOf!: string | null;
  @ApiProperty({ type: [CollectionQueueItemDto], description: 'Broken promises first, then days past due descending' })
  items!: CollectionQueueItemDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor!: string | null;
}
