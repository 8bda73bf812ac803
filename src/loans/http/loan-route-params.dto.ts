import { IsOptional } from 'class-validator';
import { IsBusinessDate, IsInstant, IsClientId } from '../../http/validators/domain-validators.js';
import { ApiPropertyOptional } from '@nestjs/swagger';

export class LoanIdParams {
  @IsClientId() loanId!: string;
}

export class PaymentIdParams extends LoanIdParams {
  @IsClientId() paymentId!: string;
}

export class GetLoanQueryParams {
  @ApiPropertyOptional({ format: 'date', description: 'Quote the amount that settles the loan on this date' })
  @IsOptional()
  @IsBusinessDate()
  payoffOn?: string;

  @ApiPropertyOptional({ format: 'date', description: 'The loan as of this business date: events that took effect on or before it' })
  @IsOptional()
  @IsBusinessDate()
  asOf?: string;

  @ApiPropertyOptional({ description: 'Only events recorded at or before this instant (ISO 8601 with offset): what the system knew then' })
  @IsOptional()
  @IsInstant()
  knownAt?: string;
}

export class ListLoansQueryParams {
  @IsClientId() borrowerId!: string;
}
