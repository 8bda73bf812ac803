import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsBusinessDate } from '../../http/validators/domain-validators.js';

export class ReversePaymentDto {
  @ApiProperty({ example: 'chargeback' }) @IsString() @Length(1, 500)
  reason!: string;
  @ApiProperty({ example: '2026-02-20', format: 'date' }) @IsBusinessDate()
  reversedOn!: string;
}
