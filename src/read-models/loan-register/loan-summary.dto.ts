import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LoanSummaryDto {
  @ApiProperty() loanId!: string;
  @ApiProperty() borrowerId!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ example: '12000.00' }) principal!: string;
  @ApiProperty({ enum: ['approved', 'cancelled', 'active', 'paid-off', 'written-off'] }) status!: string;
  @ApiProperty({ format: 'date' }) originatedOn!: string;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) disbursedOn!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) paidOffOn!: string | null;
}
