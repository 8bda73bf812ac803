import { IsOptional } from 'class-validator';
import { IsBusinessDate, IsClientId } from '../../http/validators/domain-validators.js';
import { AsOfQueryDto } from '../../http/as-of-query.dto.js';
import { ApiPropertyOptional } from '@nestjs/swagger';

export class LoanIdParams {
  @IsClientId() loanId!: string;
}

export class PaymentIdParams extends LoanIdParams {
  @IsClientId() paymentId!: string;
}

export class GetLoanQueryParams extends AsOfQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'Quote the amount that settles the loan on this date' })
  @IsOptional()
  @IsBusinessDate()
  payoffOn?: string;
}

export class ListLoansQueryParams {
  @IsClientId() borrowerId!: string;
}
