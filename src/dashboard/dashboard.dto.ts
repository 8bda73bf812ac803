import { ApiProperty } from '@nestjs/swagger';

export class PortfolioPointDto {
  @ApiProperty({ format: 'date' }) businessDate!: string;
  @ApiProperty({ description: 'Loans on the books' }) loans!: number;
  @ApiProperty({ example: '1200000.00' }) outstandingPrincipal!: string;
  @ApiProperty({ example: '0.031250', description: 'Share of principal past due at all' }) overdueRatio!: string;
  @ApiProperty({ example: '0.012500' }) overdueRatioDpdOver30!: string;
  @ApiProperty({ example: '0.004000' }) overdueRatioDpdOver90!: string;
  @ApiProperty({ example: '0.004000', description: 'Substandard, doubtful and loss principal over all' }) nplRatio!: string;
}

export class CurrencyHistoryDto {
  @ApiProperty() currency!: string;
  @ApiProperty({ type: [PortfolioPointDto], description: 'One point per close of business, oldest first' }) points!: PortfolioPointDto[];
}

export class PortfolioHistoryDto {
  @ApiProperty({ type: [CurrencyHistoryDto] }) currencies!: CurrencyHistoryDto[];
}

export class GradeOutcomeDto {
  @ApiProperty({ description: 'Credit grade at origination' }) grade!: string;
  @ApiProperty() disbursed!: number;
  @ApiProperty({ description: 'Ever 30 days past due, or written off' }) everThirtyDaysPastDue!: number;
  @ApiProperty() everThirtyDaysPastDueRate!: string;
  @ApiProperty() onBooks!: number;
  @ApiProperty({ description: 'Past due at the last close of business' }) overdueNow!: number;
  @ApiProperty() overdueRate!: string;
}

export class OverdueHistoryPointDto {
  @ApiProperty({ format: 'date' }) businessDate!: string;
  @ApiProperty() status!: string;
  @ApiProperty() daysPastDue!: number;
  @ApiProperty() bucket!: string;
}

export class TimelineEntryDto {
  @ApiProperty() revision!: number;
  @ApiProperty() type!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ type: String, nullable: true }) actor!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's data without the borrower's personal data" }) data!: Record<string, unknown>;
}
