import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LoanSummaryDto {
  @ApiProperty({ description: "The loan's id" }) loanId!: string;
  @ApiProperty({ description: "The borrower's id" }) borrowerId!: string;
  @ApiProperty({ description: 'ISO 4217 code' }) currency!: string;
  @ApiProperty({ description: 'Amount lent', example: '12000.00' }) principal!: string;
  @ApiProperty({ description: "The loan's status", enum: ['approved', 'cancelled', 'active', 'paid-off', 'written-off'] }) status!: string;
  @ApiProperty({ description: 'Business date of the origination', format: 'date' }) originatedOn!: string;
  @ApiPropertyOptional({ description: 'Business date of the disbursement; null before it', type: String, format: 'date', nullable: true }) disbursedOn!: string | null;
  @ApiPropertyOptional({ description: 'Business date the loan was paid off; null while it is not', type: String, format: 'date', nullable: true }) paidOffOn!: string | null;
}
