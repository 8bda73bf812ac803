import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsBusinessDate } from '../../http/validators/domain-validators.js';

export class DisburseLoanDto {
  @ApiProperty({ example: '2026-01-15', format: 'date' }) @IsBusinessDate()
  disbursedOn!: string;
  @ApiProperty({ example: 'wire-20260115-001' }) @IsString() @Length(1, 128)
  reference!: string;
}
