import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { IsAmount, IsBusinessDate, IsClientId, IsOmittable } from '../../http/validators/domain-validators.js';
import { PREPAYMENT_OPTIONS, type PrepaymentOption } from '../domain/prepayment-option.js';

export class ReceivePaymentDto {
  @ApiProperty({ example: 'PAY-0001', description: 'Idempotency key of the payment' }) @IsClientId()
  paymentId!: string;
  @ApiProperty({ example: '1100.16' }) @IsAmount()
  amount!: string;
  @ApiProperty({ example: '2026-02-15', format: 'date' }) @IsBusinessDate()
  receivedOn!: string;
  @ApiProperty({ example: 'bank-transfer' }) @IsString() @Length(1, 32)
  channel!: string;
  @ApiProperty({ example: 'stmt-88812' }) @IsString() @Length(1, 128)
  reference!: string;
  @ApiPropertyOptional({
    enum: PREPAYMENT_OPTIONS,
    description:
      'When the payment prepays principal, the rest of the schedule is re-amortised on what is left: shorten-term (default) keeps the instalment and needs fewer of them; reduce-instalment keeps the term',
  })
  @IsOmittable() @IsIn(PREPAYMENT_OPTIONS)
  prepayment?: PrepaymentOption;
}
