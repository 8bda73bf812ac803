import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CreditAssessmentDto, RiskDisclosureDto } from './credit-assessment.dto.js';

/** Amounts are decimal strings in the loan's currency. */
export class AmountsDto {
  @ApiProperty({ example: '920.16' }) principal!: string;
  @ApiProperty({ example: '180.00' }) interest!: string;
  @ApiProperty({ example: '0.00' }) penalty!: string;
}

export class OutstandingDto extends AmountsDto {
  @ApiProperty({ example: '1100.16' }) total!: string;
}

export class InstalmentViewDto {
  @ApiProperty() number!: number;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty({ enum: ['unpaid', 'partially-paid', 'paid', 'restructured'], description: 'restructured: a restructuring moved what it still owed into the new schedule' })
  status!: 'unpaid' | 'partially-paid' | 'paid' | 'restructured';
  @ApiProperty({ type: AmountsDto }) due!: AmountsDto;
  @ApiProperty({ type: AmountsDto }) paid!: AmountsDto;
  @ApiProperty({ description: 'Interest cancelled because principal was prepaid (the instalment re-amortised on a lower balance); `due.interest` is already net of it' }) interestCancelled!: string;
  @ApiProperty({ type: OutstandingDto }) outstanding!: OutstandingDto;
}

export class PaymentViewDto {
  @ApiProperty() paymentId!: string;
  @ApiProperty() amount!: string;
  @ApiProperty({ format: 'date' }) receivedOn!: string;
  @ApiProperty() reversed!: boolean;
}

export class LoanTermsDto {
  @ApiProperty() principal!: string;
  @ApiProperty() annualInterestRate!: string;
  @ApiProperty() termMonths!: number;
  @ApiProperty() repaymentMethod!: string;
  @ApiProperty({ format: 'date' }) originatedOn!: string;
  @ApiProperty() gracePeriodDays!: number;
  @ApiProperty() penaltyAnnualRate!: string;
  @ApiProperty({ enum: ['contract', 'policy-default'] }) penaltyRateSource!: string;
  @ApiProperty() policy!: string;
  @ApiProperty() costCapAnnualRate!: string;
}

/** What is owed on a date, not what is scheduled. */
export class BalancesDto {
  @ApiProperty({ format: 'date', description: 'The business date the balances are taken on: asOf when given, else today in COB_TIME_ZONE' })
  on!: string;
  @ApiProperty({ type: OutstandingDto, description: 'Principal, interest and penalty due on or before that date and unpaid' }) fallenDue!: OutstandingDto;
  @ApiProperty({ description: 'All principal not yet repaid, fallen due or not' }) principalOutstanding!: string;
  @ApiProperty({ description: 'Interest of the instalments not yet due: scheduled, not owed (a prepayment lowers it)' }) futureInterestScheduled!: string;
  @ApiProperty({ description: 'Paid beyond the payoff amount or after payoff, held to refund' }) overpaymentHeld!: string;
  @ApiProperty({ description: 'The amount that settles the loan if paid on that date (penalty through the day before included)' }) payoffAmount!: string;
}

export class RefundViewDto {
  @ApiProperty() refundId!: string;
  @ApiProperty() amount!: string;
  @ApiProperty({ format: 'date' }) refundedOn!: string;
}

export class PayoffDto {
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty({ description: 'The amount that settles the loan if paid on that date' }) amount!: string;
}

export class AsOfDto {
  @ApiProperty({ format: 'date', description: 'Events that took effect on or before this business date' }) businessDate!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Only events recorded at or before this instant' })
  knownAt!: string | null;
  @ApiProperty() daysPastDue!: number;
}

export class LoanPaymentsDto {
  @ApiProperty() loanId!: string;
  @ApiProperty({ description: 'Every payment recorded on the loan' }) total!: number;
  @ApiProperty() offset!: number;
  @ApiProperty({ type: [PaymentViewDto], description: 'In the order recorded, from `offset`' }) payments!: PaymentViewDto[];
}

export class LoanViewDto {
  @ApiProperty() loanId!: string;
  @ApiProperty() borrowerId!: string;
  @ApiProperty() borrowerTimeZone!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: ['approved', 'cancelled', 'active', 'paid-off', 'written-off'] }) status!: string;
  @ApiProperty({ type: LoanTermsDto }) terms!: LoanTermsDto;
  @ApiProperty({ type: CreditAssessmentDto }) creditAssessment!: CreditAssessmentDto;
  @ApiProperty({ type: RiskDisclosureDto }) riskDisclosure!: RiskDisclosureDto;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) disbursedOn!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) paidOffOn!: string | null;
  @ApiProperty({ type: [InstalmentViewDto] }) schedule!: InstalmentViewDto[];
  @ApiProperty({ type: BalancesDto }) balances!: BalancesDto;
  @ApiProperty({ type: [PaymentViewDto], description: 'The most recent `paymentsLimit` payments (default 100), in the order recorded; GET /loans/{loanId}/payments pages through them all' })
  payments!: PaymentViewDto[];
  @ApiProperty({ description: 'Every payment recorded on the loan, reversed ones included' }) paymentsTotal!: number;
  @ApiProperty({ type: [RefundViewDto] }) refunds!: RefundViewDto[];
  @ApiPropertyOptional({ type: PayoffDto }) payoff?: PayoffDto;
  @ApiPropertyOptional({ type: AsOfDto, description: 'Present when the loan was asked for as of a date' }) asOf?: AsOfDto;
}
