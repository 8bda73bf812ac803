import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { IsAmount, IsBusinessDate, IsClientId, IsOmittable } from '../../http/validators/domain-validators.js';
import { PREPAYMENT_OPTIONS, type PrepaymentOption } from '../domain/prepayment-option.js';

export class ReceivePaymentDto {
  @ApiProperty({ example: 'PAY-0001', description: 'Idempotency key of the payment' }) @IsClientId()
  paymentId!: string;
  @ApiProperty({ description: "Amount received, a positive decimal string in the loan's currency", example: '1100.16' }) @IsAmount()
  amount!: string;
  @ApiProperty({ description: 'Business date the money was received; earlier than payments already recorded is reconciled (backdated) when it can be', example: '2026-02-15', format: 'date' }) @IsBusinessDate()
  receivedOn!: string;
  @ApiProperty({ description: 'How it was paid (bank-transfer, card, cash, ...)', example: 'bank-transfer' }) @IsString() @Length(1, 32)
  channel!: string;
  @ApiProperty({ description: "The payment's reference in the lender's payment system", example: 'stmt-88812' }) @IsString() @Length(1, 128)
  reference!: string;
  @ApiPropertyOptional({
    enum: PREPAYMENT_OPTIONS,
    description:
      'When the payment prepays principal, the rest of the schedule is re-amortised on what is left: shorten-term (default) keeps the instalment and needs fewer of them; reduce-instalment keeps the term',
  })
  @IsOmittable() @IsIn(PREPAYMENT_OPTIONS)
  prepayment?: PrepaymentOption;
}
