import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsBusinessDate, IsClientId } from './validators/domain-validators.js';
import { AsOfQueryDto } from './as-of-query.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The most payments one read lists: a page of them stays a small answer, however long the loan's history. */
const MAX_PAYMENTS_PER_PAGE = 1000;

/** What a client id may be (IsClientId), as OpenAPI says it. */
export const CLIENT_ID_PATTERN = '^[A-Za-z0-9._:-]{1,64}$';

export class LoanIdParams {
  @ApiProperty({ description: "The loan's id, as given or assigned at origination", example: 'L-0001', pattern: CLIENT_ID_PATTERN }) @IsClientId() loanId!: string;
}

export class PaymentIdParams extends LoanIdParams {
  @ApiProperty({ description: "The payment's id, as recorded", example: 'PAY-0001', pattern: CLIENT_ID_PATTERN }) @IsClientId() paymentId!: string;
}

export class GetLoanQueryParams extends AsOfQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'Quote the amount that settles the loan on this date' })
  @IsOptional()
  @IsBusinessDate()
  payoffOn?: string;

  @ApiPropertyOptional({ type: 'integer', description: `How many of the most recent payments the view lists (default 100, at most ${MAX_PAYMENTS_PER_PAGE})` })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PAYMENTS_PER_PAGE)
  paymentsLimit?: number;
}

export class LoanPaymentsQueryParams {
  @ApiPropertyOptional({ type: 'integer', description: 'Payments to skip, in the order recorded (default 0)' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset?: number;
  @ApiPropertyOptional({ type: 'integer', description: `At most this many (default 100, at most ${MAX_PAYMENTS_PER_PAGE})` }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAYMENTS_PER_PAGE)
  limit?: number;
}

export class ListLoansQueryParams {
  @ApiProperty({ description: 'The borrower whose loans to list', example: 'B-1001', pattern: CLIENT_ID_PATTERN }) @IsClientId() borrowerId!: string;
}
