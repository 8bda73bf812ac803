import { ApiProperty } from '@nestjs/swagger';

export class LoanOriginatedResultDto {
  @ApiProperty() loanId!: string;
}

export class ScheduledInstalmentDto {
  @ApiProperty() number!: number;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty() principal!: string;
  @ApiProperty() interest!: string;
  @ApiProperty() payment!: string;
}

export class LoanDisbursedResultDto {
  @ApiProperty() loanId!: string;
  @ApiProperty({ format: 'date' }) disbursedOn!: string;
  @ApiProperty({ type: [ScheduledInstalmentDto] }) schedule!: ScheduledInstalmentDto[];
}

export class InstalmentAllocationDto {
  @ApiProperty() number!: number;
  @ApiProperty() penalty!: string;
  @ApiProperty() interest!: string;
  @ApiProperty() principal!: string;
}

export class PrepaidPrincipalDto {
  @ApiProperty() number!: number;
  @ApiProperty() principal!: string;
  @ApiProperty() interestCancelled!: string;
}

export class RescheduledInstalmentDto {
  @ApiProperty() number!: number;
  @ApiProperty({ description: 'How much the instalment\'s principal went down (negative: up)' }) principal!: string;
  @ApiProperty({ description: 'How much the instalment\'s interest went down (negative: up)' }) interest!: string;
}

export class ReamortisationDto {
  @ApiProperty({ enum: ['shorten-term', 'reduce-instalment'] }) option!: string;
  @ApiProperty({ type: [RescheduledInstalmentDto] }) instalments!: RescheduledInstalmentDto[];
}

export class AllocationDto {
  @ApiProperty({ type: [InstalmentAllocationDto] }) instalments!: InstalmentAllocationDto[];
  @ApiProperty({ type: [PrepaidPrincipalDto] }) prepaid!: PrepaidPrincipalDto[];
  @ApiProperty() overpayment!: string;
  @ApiProperty({ type: ReamortisationDto, required: false, description: 'Present when principal was prepaid: how the later instalments were re-amortised' })
  reamortised?: ReamortisationDto;
}

export class PaymentResultDto {
  @ApiProperty() loanId!: string;
  @ApiProperty() paymentId!: string;
  @ApiProperty() amount!: string;
  @ApiProperty({ type: AllocationDto }) allocation!: AllocationDto;
  @ApiProperty({ description: 'True when this payment settled the loan' }) paidOff!: boolean;
  @ApiProperty({ description: 'True when the loan was written off: the payment is a recovery' }) recovery!: boolean;
}

export class RefundResultDto {
  @ApiProperty() loanId!: string;
  @ApiProperty() refundId!: string;
  @ApiProperty() amount!: string;
  @ApiProperty({ description: 'Overpayment still held after the refund' }) overpaymentHeld!: string;
}

export class ReversalResultDto {
  @ApiProperty() loanId!: string;
  @ApiProperty() paymentId!: string;
  @ApiProperty({ description: 'True when the reversal reopened a paid-off loan' }) reopened!: boolean;
}
