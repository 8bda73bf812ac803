import { ApiProperty } from '@nestjs/swagger';

export class LoanOriginatedResultDto {
  @ApiProperty({ description: "The loan's id: the one given, or the UUIDv7 assigned" }) loanId!: string;
}

export class ScheduledInstalmentDto {
  @ApiProperty({ description: 'Instalment number, from 1' }) number!: number;
  @ApiProperty({ description: 'Business date the instalment falls due', format: 'date' }) dueOn!: string;
  @ApiProperty({ description: 'Principal the instalment repays' }) principal!: string;
  @ApiProperty({ description: 'Interest the instalment pays' }) interest!: string;
  @ApiProperty({ description: 'principal + interest: what falls due' }) payment!: string;
}

export class LoanDisbursedResultDto {
  @ApiProperty({ description: 'The loan disbursed' }) loanId!: string;
  @ApiProperty({ description: 'Business date of the disbursement', format: 'date' }) disbursedOn!: string;
  @ApiProperty({ description: 'The repayment schedule the disbursement fixes', type: [ScheduledInstalmentDto] }) schedule!: ScheduledInstalmentDto[];
}

export class InstalmentAllocationDto {
  @ApiProperty({ description: 'The instalment paid' }) number!: number;
  @ApiProperty({ description: 'Penalty of the instalment paid' }) penalty!: string;
  @ApiProperty({ description: 'Interest of the instalment paid' }) interest!: string;
  @ApiProperty({ description: 'Principal of the instalment paid' }) principal!: string;
}

export class PrepaidPrincipalDto {
  @ApiProperty({ description: 'The instalment whose principal was paid before it fell due' }) number!: number;
  @ApiProperty({ description: 'Principal prepaid' }) principal!: string;
  @ApiProperty({ description: 'Interest of the instalment no longer owed because of the prepayment' }) interestCancelled!: string;
}

export class RescheduledInstalmentDto {
  @ApiProperty({ description: 'The instalment re-amortised' }) number!: number;
  @ApiProperty({ description: 'How much the instalment\'s principal went down (negative: up)' }) principal!: string;
  @ApiProperty({ description: 'How much the instalment\'s interest went down (negative: up)' }) interest!: string;
}

export class ReamortisationDto {
  @ApiProperty({ description: 'How the rest of the schedule was re-amortised after a prepayment', enum: ['shorten-term', 'reduce-instalment'] }) option!: string;
  @ApiProperty({ description: 'Each instalment changed, by how much', type: [RescheduledInstalmentDto] }) instalments!: RescheduledInstalmentDto[];
}

export class AllocationDto {
  @ApiProperty({ description: 'What the payment paid of instalments fallen due, oldest first', type: [InstalmentAllocationDto] }) instalments!: InstalmentAllocationDto[];
  @ApiProperty({ description: 'Principal paid before it fell due', type: [PrepaidPrincipalDto] }) prepaid!: PrepaidPrincipalDto[];
  @ApiProperty({ description: 'Paid beyond what the loan owed, held to refund' }) overpayment!: string;
  @ApiProperty({ type: ReamortisationDto, required: false, description: 'Present when principal was prepaid: how the later instalments were re-amortised' })
  reamortised?: ReamortisationDto;
}

export class PaymentResultDto {
  @ApiProperty({ description: 'The loan paid' }) loanId!: string;
  @ApiProperty({ description: 'The payment recorded' }) paymentId!: string;
  @ApiProperty({ description: 'Amount received' }) amount!: string;
  @ApiProperty({ description: 'How the payment was allocated', type: AllocationDto }) allocation!: AllocationDto;
  @ApiProperty({ description: 'True when this payment settled the loan' }) paidOff!: boolean;
  @ApiProperty({ description: 'True when the loan was written off: the payment is a recovery' }) recovery!: boolean;
}

export class RefundResultDto {
  @ApiProperty({ description: 'The loan refunded' }) loanId!: string;
  @ApiProperty({ description: 'The refund recorded' }) refundId!: string;
  @ApiProperty({ description: 'Amount paid back' }) amount!: string;
  @ApiProperty({ description: 'Overpayment still held after the refund' }) overpaymentHeld!: string;
}

export class ReversalResultDto {
  @ApiProperty({ description: 'The loan whose payment was reversed' }) loanId!: string;
  @ApiProperty({ description: 'The payment reversed' }) paymentId!: string;
  @ApiProperty({ description: 'True when the reversal reopened a paid-off loan' }) reopened!: boolean;
}
