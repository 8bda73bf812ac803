import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CreditAssessmentDto, RiskDisclosureDto } from './credit-assessment.dto.js';

/** Amounts are decimal strings in the loan's currency. */
export class AmountsDto {
  @ApiProperty({ description: 'Principal', example: '920.16' }) principal!: string;
  @ApiProperty({ description: 'Interest', example: '180.00' }) interest!: string;
  @ApiProperty({ description: 'Penalty', example: '0.00' }) penalty!: string;
}

export class OutstandingDto extends AmountsDto {
  @ApiProperty({ description: 'principal + interest + penalty', example: '1100.16' }) total!: string;
}

export class InstalmentViewDto {
  @ApiProperty({ description: 'Instalment number, from 1' }) number!: number;
  @ApiProperty({ description: 'Business date the instalment falls due', format: 'date' }) dueOn!: string;
  @ApiProperty({ enum: ['unpaid', 'partially-paid', 'paid', 'restructured'], description: 'restructured: a restructuring moved what it still owed into the new schedule' })
  status!: 'unpaid' | 'partially-paid' | 'paid' | 'restructured';
  @ApiProperty({ description: 'What the instalment owes', type: AmountsDto }) due!: AmountsDto;
  @ApiProperty({ description: 'What has been paid of it', type: AmountsDto }) paid!: AmountsDto;
  @ApiProperty({ description: 'Interest cancelled because principal was prepaid (the instalment re-amortised on a lower balance); `due.interest` is already net of it' }) interestCancelled!: string;
  @ApiProperty({ description: 'What is still owed of it', type: OutstandingDto }) outstanding!: OutstandingDto;
}

export class PaymentViewDto {
  @ApiProperty({ description: "The payment's id" }) paymentId!: string;
  @ApiProperty({ description: 'Amount received' }) amount!: string;
  @ApiProperty({ description: 'Business date it was received', format: 'date' }) receivedOn!: string;
  @ApiProperty({ description: 'True when the payment was reversed: it counts for nothing' }) reversed!: boolean;
}

export class LoanTermsDto {
  @ApiProperty({ description: 'Amount lent' }) principal!: string;
  @ApiProperty({ description: 'Contract interest rate a year, as a decimal string' }) annualInterestRate!: string;
  @ApiProperty({ description: 'Number of monthly instalments' }) termMonths!: number;
  @ApiProperty({ description: 'How the schedule splits principal and interest' }) repaymentMethod!: string;
  @ApiProperty({ description: 'Business date of the origination', format: 'date' }) originatedOn!: string;
  @ApiProperty({ description: 'Days after a due date before penalty accrues' }) gracePeriodDays!: number;
  @ApiProperty({ description: 'Penalty interest rate a year on what is overdue' }) penaltyAnnualRate!: string;
  @ApiProperty({ description: 'contract: given at origination; policy-default: from the lending policy', enum: ['contract', 'policy-default'] }) penaltyRateSource!: string;
  @ApiProperty({ description: 'The lending policy the loan was originated under' }) policy!: string;
  @ApiProperty({ description: "The policy's cap on the annual rate" }) costCapAnnualRate!: string;
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
  @ApiProperty({ description: "The refund's id" }) refundId!: string;
  @ApiProperty({ description: 'Amount paid back' }) amount!: string;
  @ApiProperty({ description: 'Business date of the refund', format: 'date' }) refundedOn!: string;
}

export class PayoffDto {
  @ApiProperty({ description: 'The date the payoff is quoted for (`payoffOn`)', format: 'date' }) on!: string;
  @ApiProperty({ description: 'The amount that settles the loan if paid on that date' }) amount!: string;
}

export class AsOfDto {
  @ApiProperty({ format: 'date', description: 'Events that took effect on or before this business date' }) businessDate!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Only events recorded at or before this instant' })
  knownAt!: string | null;
  @ApiProperty({ description: 'Days past due as of then' }) daysPastDue!: number;
}

export class LoanPaymentsDto {
  @ApiProperty({ description: 'The loan' }) loanId!: string;
  @ApiProperty({ description: 'Every payment recorded on the loan' }) total!: number;
  @ApiProperty({ description: 'Payments skipped, as asked' }) offset!: number;
  @ApiProperty({ type: [PaymentViewDto], description: 'In the order recorded, from `offset`' }) payments!: PaymentViewDto[];
}

export class LoanViewDto {
  @ApiProperty({ description: "The loan's id" }) loanId!: string;
  @ApiProperty({ description: "The borrower's id" }) borrowerId!: string;
  @ApiProperty({ description: "IANA time zone the loan's dates are judged in" }) borrowerTimeZone!: string;
  @ApiProperty({ description: 'ISO 4217 code of every amount' }) currency!: string;
  @ApiProperty({ description: 'approved: originated, not yet disbursed; active; paid-off; written-off; cancelled', enum: ['approved', 'cancelled', 'active', 'paid-off', 'written-off'] }) status!: string;
  @ApiProperty({ description: 'The terms the loan was originated on', type: LoanTermsDto }) terms!: LoanTermsDto;
  @ApiProperty({ description: 'The credit assessment recorded at origination', type: CreditAssessmentDto }) creditAssessment!: CreditAssessmentDto;
  @ApiProperty({ description: 'The risk disclosure recorded at origination', type: RiskDisclosureDto }) riskDisclosure!: RiskDisclosureDto;
  @ApiPropertyOptional({ description: 'Business date of the disbursement; null before it', type: String, format: 'date', nullable: true }) disbursedOn!: string | null;
  @ApiPropertyOptional({ description: 'Business date the loan was paid off; null while it is not', type: String, format: 'date', nullable: true }) paidOffOn!: string | null;
  @ApiProperty({ description: 'The schedule in force, instalment by instalment', type: [InstalmentViewDto] }) schedule!: InstalmentViewDto[];
  @ApiProperty({ description: 'What the loan owes, has fallen due and holds', type: BalancesDto }) balances!: BalancesDto;
  @ApiProperty({ type: [PaymentViewDto], description: 'The most recent `paymentsLimit` payments (default 100), in the order recorded; GET /loans/{loanId}/payments pages through them all' })
  payments!: PaymentViewDto[];
  @ApiProperty({ description: 'Every payment recorded on the loan, reversed ones included' }) paymentsTotal!: number;
  @ApiProperty({ description: 'Overpayment refunded', type: [RefundViewDto] }) refunds!: RefundViewDto[];
  @ApiPropertyOptional({ description: 'With `payoffOn`: the amount that settles the loan on that date', type: PayoffDto }) payoff?: PayoffDto;
  @ApiPropertyOptional({ type: AsOfDto, description: 'Present when the loan was asked for as of a date' }) asOf?: AsOfDto;
}
