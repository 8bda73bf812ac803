import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsBusinessDate } from '../../http/validators/domain-validators.js';

export class DisburseLoanDto {
  @ApiProperty({ description: "Business date the money was paid out: on or after the origination; the schedule's due dates follow from it", example: '2026-01-15', format: 'date' }) @IsBusinessDate()
  disbursedOn!: string;
  @ApiProperty({ description: "The payout's reference in the lender's payment system", example: 'wire-20260115-001' }) @IsString() @Length(1, 128)
  reference!: string;
}
