import { ApiProperty } from '@nestjs/swagger';

export class PortfolioPointDto {
  @ApiProperty({ description: 'The close of business', format: 'date' }) businessDate!: string;
  @ApiProperty({ description: 'Loans on the books' }) loans!: number;
  @ApiProperty({ description: 'Principal not yet repaid', example: '1200000.00' }) outstandingPrincipal!: string;
  @ApiProperty({ example: '0.031250', description: 'Share of principal past due at all' }) overdueRatio!: string;
  @ApiProperty({ description: 'Share of principal more than 30 days past due', example: '0.012500' }) overdueRatioDpdOver30!: string;
  @ApiProperty({ description: 'Share of principal more than 90 days past due', example: '0.004000' }) overdueRatioDpdOver90!: string;
  @ApiProperty({ example: '0.004000', description: 'Substandard, doubtful and loss principal over all' }) nplRatio!: string;
}

export class CurrencyHistoryDto {
  @ApiProperty({ description: 'ISO 4217 code of the amounts' }) currency!: string;
  @ApiProperty({ type: [PortfolioPointDto], description: 'One point per close of business, oldest first' }) points!: PortfolioPointDto[];
}

export class PortfolioHistoryDto {
  @ApiProperty({ description: 'One history per currency', type: [CurrencyHistoryDto] }) currencies!: CurrencyHistoryDto[];
}

export class GradeOutcomeDto {
  @ApiProperty({ description: 'Credit grade at origination' }) grade!: string;
  @ApiProperty({ description: 'Loans of the grade disbursed' }) disbursed!: number;
  @ApiProperty({ description: 'Ever 30 days past due, or written off' }) everThirtyDaysPastDue!: number;
  @ApiProperty({ description: 'everThirtyDaysPastDue / disbursed' }) everThirtyDaysPastDueRate!: string;
  @ApiProperty({ description: 'Loans of the grade active now' }) onBooks!: number;
  @ApiProperty({ description: 'Past due at the last close of business' }) overdueNow!: number;
  @ApiProperty({ description: 'overdueNow / onBooks' }) overdueRate!: string;
}

export class OverdueHistoryPointDto {
  @ApiProperty({ description: 'The close of business', format: 'date' }) businessDate!: string;
  @ApiProperty({ description: "The loan's status then" }) status!: string;
  @ApiProperty({ description: 'Days past due then' }) daysPastDue!: number;
  @ApiProperty({ description: 'Delinquency bucket then' }) bucket!: string;
}

export class TimelineEntryDto {
  @ApiProperty({ description: "Position in the loan's stream, from 0" }) revision!: number;
  @ApiProperty({ description: "The event's type" }) type!: string;
  @ApiProperty({ description: 'When it was appended' }) recordedAt!: string;
  @ApiProperty({ description: 'The principal that sent the command; null when not recorded', type: String, nullable: true }) actor!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's data without the borrower's personal data" }) data!: Record<string, unknown>;
}
