import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate } from '../http/validators/domain-validators.js';

export class CloseOfBusinessRequestDto {
  @ApiProperty({ description: 'The business date to close: not before the last one closed, not in the future', example: '2026-02-18', format: 'date' }) @IsBusinessDate()
  businessDate!: string;
}

export class CloseOfBusinessResultDto {
  @ApiProperty({ description: 'The business date closed', format: 'date' }) businessDate!: string;
  @ApiProperty({ description: 'The date had been closed before: nothing was appended' }) alreadyClosed!: boolean;
  @ApiProperty({ description: 'Loans with something due or overdue that were examined' }) loansVisited!: number;
  @ApiProperty({ description: 'Events the run appended' }) eventsAppended!: number;
  @ApiProperty({ description: 'Instalments recorded as missed' }) instalmentsMissed!: number;
  @ApiProperty({ description: 'Penalty accruals recorded' }) penaltyAccruals!: number;
  @ApiProperty({ description: '30/60/90 days past due reached' }) delinquencyThresholds!: number;
  @ApiProperty({ description: 'Promises to pay judged kept' }) promisesKept!: number;
  @ApiProperty({ description: 'Promises to pay judged broken' }) promisesBroken!: number;
}
