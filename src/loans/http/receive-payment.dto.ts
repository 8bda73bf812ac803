import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsAmount, IsBusinessDate, IsClientId } from '../../http/validators/domain-validators.js';

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
}
