import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsAmount, IsBusinessDate, IsClientId } from '../../http/validators/domain-validators.js';

/** Pays back overpayment the loan holds. */
export class RefundOverpaymentDto {
  @ApiProperty({ example: 'RF-0001', description: 'Names this refund; one per id on a loan' }) @IsClientId()
  refundId!: string;
  @ApiProperty({ description: 'Amount paid back: at most the overpayment held', example: '50.00' }) @IsAmount()
  amount!: string;
  @ApiProperty({ description: 'Business date of the refund: not before the overpayment or an earlier refund', example: '2026-03-01', format: 'date' }) @IsBusinessDate()
  refundedOn!: string;
  @ApiProperty({ description: "The refund's reference in the lender's payment system", example: 'wire-back-17' }) @IsString() @Length(1, 128)
  reference!: string;
}
