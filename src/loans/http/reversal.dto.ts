import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsBusinessDate } from '../../http/validators/domain-validators.js';

/** The body of every reversal: of a payment, a penalty waiver, a write-off or a restructuring. */
export class ReversalDto {
  @ApiProperty({ example: 'chargeback', description: 'Why the decision is undone' }) @IsString() @Length(1, 500)
  reason!: string;
  @ApiProperty({ description: 'Business date of the reversal: not before what it reverses', example: '2026-02-20', format: 'date' }) @IsBusinessDate()
  reversedOn!: string;
}
