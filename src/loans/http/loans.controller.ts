import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { Roles, TimeTravelRoles } from '../../auth/access.decorators.js';
import { READERS } from '../../auth/roles.js';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../../config/app-config.js';
import { CommandMeta, type RequestCommandMeta, commandContext } from '../../http/command-context.decorator.js';
import { formatAmount } from '../../kernel/money/amount.js';
import { CancelOriginationCommand } from '../commands/cancel-origination.command.js';
import { DisburseLoanCommand } from '../commands/disburse-loan.command.js';
import type { LoanCorrectedResult } from '../commands/loan-corrected-result.js';
import { OriginateLoanCommand } from '../commands/originate-loan.command.js';
import { ReceivePaymentCommand } from '../commands/receive-payment.command.js';
import { RefundOverpaymentCommand } from '../commands/refund-overpayment.command.js';
import { RestructureLoanCommand } from '../commands/restructure-loan.command.js';
import { ReversePaymentCommand } from '../commands/reverse-payment.command.js';
import { ReversePenaltyWaiverCommand } from '../commands/reverse-penalty-waiver.command.js';
import { ReverseRestructuringCommand } from '../commands/reverse-restructuring.command.js';
import { ReverseWriteOffCommand } from '../commands/reverse-write-off.command.js';
import { WaivePenaltyCommand } from '../commands/waive-penalty.command.js';
import { WriteOffLoanCommand } from '../commands/write-off-loan.command.js';
import type { LoanEventType } from '../commands/recorded-loan-event.js';
import { LENDING_POLICY_PRESETS } from '../../policies/lending-policy.js';
import type { ScheduledInstalment } from '../domain/scheduled-instalment.js';
import {
  PenaltyWaiverResultDto,
  RestructureLoanDto,
  RestructuringResultDto,
  WaivePenaltyDto,
  WriteOffLoanDto,
  WriteOffResultDto,
} from './hardship.dto.js';
import type { PaymentAllocation } from '../domain/payment-allocation.js';
import { GetLoanQuery } from '../queries/get-loan.query.js';
import { ListBorrowerLoansQuery } from '../../read-models/loan-register/list-borrower-loans.query.js';
import { LoanSummaryDto } from '../../read-models/loan-register/loan-summary.dto.js';
import { LoanPaymentsDto, LoanViewDto } from '../queries/loan-view.dto.js';
import { ListLoanPaymentsQuery } from '../queries/list-loan-payments.query.js';
import { PAYMENTS_IN_VIEW } from '../queries/to-loan-view.js';
import { DisburseLoanDto } from './disburse-loan.dto.js';
import {
  type AllocationDto,
  LoanDisbursedResultDto,
  LoanOriginatedResultDto,
  PaymentResultDto,
  RefundResultDto,
  ReversalResultDto,
} from './loan-command-results.dto.js';
import { GetLoanQueryParams, ListLoansQueryParams, LoanIdParams, LoanPaymentsQueryParams, PaymentIdParams } from '../../http/loan-route-params.dto.js';
import { OriginateLoanDto } from './originate-loan.dto.js';
import { CancelOriginationDto, CorrectionResultDto, RestructuringIdParams, WaiverIdParams, WriteOffIdParams } from './correction.dto.js';
import { ReceivePaymentDto } from './receive-payment.dto.js';
import { RefundOverpaymentDto } from './refund-overpayment.dto.js';
import { ReversalDto } from './reversal.dto.js';

/**
 * Loan commands and queries over HTTP. Each command's id is the `Idempotency-Key` header,
 * or else its natural id (the loan id on origination and disbursement, the payment id), so
 * a retried request returns the first result and appends nothing.
 */
@ApiTags('loans')
@ApiConflictResponse({ description: '{ code, message }: a business rule or a concurrent change refused the command' })
@Roles('servicer')
@Controller('loans')
export class LoansController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: LoanOriginatedResultDto })
  async originate(@Body() body: OriginateLoanDto, @CommandMeta() meta: RequestCommandMeta): Promise<LoanOriginatedResultDto> {
    const loanId = body.loanId ?? uuidv7();
    const policy = LENDING_POLICY_PRESETS[this.config.LENDING_POLICY];
    const { creditAssessment, riskDisclosure, borrower, ...terms } = body;
    const identityDocument = borrower?.identityDocument;
    await this.commands.execute(
      new OriginateLoanCommand(
        {
          ...terms,
          loanId,
          creditAssessment: { ...creditAssessment },
          riskDisclosure: { ...riskDisclosure },
          ...(borrower && { borrower: { ...borrower, ...(identityDocument && { identityDocument: { ...identityDocument } }) } }),
          policy,
        },
        commandContext(meta, body.loanId && `originate:${loanId}`),
        body,
      ),
    );
    return { loanId };
  }

  @Post(':loanId/disbursements')
  @ApiCreatedResponse({ type: LoanDisbursedResultDto })
  @ApiNotFoundResponse()
  async disburse(@Param() { loanId }: LoanIdParams, @Body() body: DisburseLoanDto, @CommandMeta() meta: RequestCommandMeta) {
    const { disbursed, currency } = await this.commands.execute(new DisburseLoanCommand(loanId, body, commandContext(meta, `disburse:${loanId}`)));
    const money = (minor: number) => formatAmount(minor, currency);
    return { loanId, disbursedOn: disbursed.disbursedOn, schedule: scheduleView(disbursed.schedule, money) };
  }

  @Post(':loanId/payments')
  @ApiCreatedResponse({ type: PaymentResultDto })
  @ApiNotFoundResponse()
  async receivePayment(
    @Param() { loanId }: LoanIdParams,
    @Body() body: ReceivePaymentDto,
    @CommandMeta() meta: RequestCommandMeta,
  ): Promise<PaymentResultDto> {
    const { received, paidOff, currency } = await this.commands.execute(
      new ReceivePaymentCommand(loanId, body, commandContext(meta, `payment:${body.paymentId}`)),
    );
    return {
      loanId,
      paymentId: received.paymentId,
      amount: formatAmount(received.amount, currency),
      allocation: allocationView(received.allocation, currency),
      paidOff,
      recovery: received.recovery === true,
    };
  }

  @Post(':loanId/payments/:paymentId/reversals')
  @ApiCreatedResponse({ type: ReversalResultDto })
  @ApiNotFoundResponse()
  async reversePayment(
    @Param() { loanId, paymentId }: PaymentIdParams,
    @Body() body: ReversalDto,
    @CommandMeta() meta: RequestCommandMeta,
  ): Promise<ReversalResultDto> {
    const { reopened } = await this.commands.execute(
      new ReversePaymentCommand(loanId, { paymentId, ...body }, commandContext(meta, `reversal:${paymentId}`)),
    );
    return { loanId, paymentId, reopened };
  }

  @Post(':loanId/refunds')
  @ApiCreatedResponse({ type: RefundResultDto })
  @ApiNotFoundResponse()
  async refundOverpayment(
    @Param() { loanId }: LoanIdParams,
    @Body() body: RefundOverpaymentDto,
    @CommandMeta() meta: RequestCommandMeta,
  ): Promise<RefundResultDto> {
    const { refunded, overpaymentHeld, currency } = await this.commands.execute(
      new RefundOverpaymentCommand(loanId, body, commandContext(meta, `refund:${body.refundId}`)),
    );
    const money = (minor: number) => formatAmount(minor, currency);
    return { loanId, refundId: refunded.refundId, amount: money(refunded.amount), overpaymentHeld: money(overpaymentHeld) };
  }

  @Post(':loanId/restructurings')
  @ApiCreatedResponse({ type: RestructuringResultDto })
  @ApiNotFoundResponse()
  async restructure(
    @Param() { loanId }: LoanIdParams,
    @Body() body: RestructureLoanDto,
    @CommandMeta() meta: RequestCommandMeta,
  ): Promise<RestructuringResultDto> {
    const { restructured, currency } = await this.commands.execute(
      new RestructureLoanCommand(
        loanId,
        { ...body, policy: LENDING_POLICY_PRESETS[this.config.LENDING_POLICY] },
        commandContext(meta, `restructuring:${body.restructuringId}`),
        body,
      ),
    );
    const money = (minor: number) => formatAmount(minor, currency);
    return {
      loanId,
      restructuringId: restructured.restructuringId,
      principal: money(restructured.principal),
      overdueInterest: money(restructured.overdueInterest),
      overduePenalty: money(restructured.overduePenalty),
      capitalised: restructured.capitalised,
      interestForgone: money(restructured.interestForgone),
      schedule: scheduleView(restructured.schedule, money),
    };
  }

  @Post(':loanId/penalty-waivers')
  @ApiCreatedResponse({ type: PenaltyWaiverResultDto })
  @ApiNotFoundResponse()
  async waivePenalty(
    @Param() { loanId }: LoanIdParams,
    @Body() body: WaivePenaltyDto,
    @CommandMeta() meta: RequestCommandMeta,
  ): Promise<PenaltyWaiverResultDto> {
    const { waived, currency } = await this.commands.execute(
      new WaivePenaltyCommand(loanId, body, commandContext(meta, `penalty-waiver:${body.waiverId}`)),
    );
    return { loanId, waiverId: waived.waiverId, amount: formatAmount(waived.amount, currency) };
  }

  @Post(':loanId/write-offs')
  @ApiCreatedResponse({ type: WriteOffResultDto })
  @ApiNotFoundResponse()
  async writeOff(@Param() { loanId }: LoanIdParams, @Body() body: WriteOffLoanDto, @CommandMeta() meta: RequestCommandMeta): Promise<WriteOffResultDto> {
    const { writtenOff, currency } = await this.commands.execute(
      new WriteOffLoanCommand(loanId, body, commandContext(meta, `write-off:${body.writeOffId}`)),
    );
    const money = (minor: number) => formatAmount(minor, currency);
    return {
      loanId,
      writeOffId: writtenOff.writeOffId,
      principal: money(writtenOff.principal),
      interest: money(writtenOff.interest),
      penalty: money(writtenOff.penalty),
    };
  }

  @Post(':loanId/cancellation')
  @ApiCreatedResponse({ type: CorrectionResultDto, description: 'The origination is withdrawn; only before disbursement' })
  @ApiNotFoundResponse()
  async cancelOrigination(@Param() { loanId }: LoanIdParams, @Body() body: CancelOriginationDto, @CommandMeta() meta: RequestCommandMeta): Promise<CorrectionResultDto> {
    return correctionView(loanId, await this.commands.execute(new CancelOriginationCommand(loanId, body, commandContext(meta, `cancellation:${loanId}`))));
  }

  @Post(':loanId/penalty-waivers/:waiverId/reversals')
  @ApiCreatedResponse({ type: CorrectionResultDto, description: 'The penalty the waiver waived is owed again' })
  @ApiNotFoundResponse()
  async reversePenaltyWaiver(@Param() { loanId, waiverId }: WaiverIdParams, @Body() body: ReversalDto, @CommandMeta() meta: RequestCommandMeta): Promise<CorrectionResultDto> {
    const context = commandContext(meta, `penalty-waiver-reversal:${waiverId}`);
    return correctionView(loanId, await this.commands.execute(new ReversePenaltyWaiverCommand(loanId, { waiverId, ...body }, context)));
  }

  @Post(':loanId/write-offs/:writeOffId/reversals')
  @ApiCreatedResponse({ type: CorrectionResultDto, description: 'The loan is active again, owing what it owed' })
  @ApiNotFoundResponse()
  async reverseWriteOff(@Param() { loanId, writeOffId }: WriteOffIdParams, @Body() body: ReversalDto, @CommandMeta() meta: RequestCommandMeta): Promise<CorrectionResultDto> {
    const context = commandContext(meta, `write-off-reversal:${writeOffId}`);
    return correctionView(loanId, await this.commands.execute(new ReverseWriteOffCommand(loanId, { writeOffId, ...body }, context)));
  }

  @Post(':loanId/restructurings/:restructuringId/reversals')
  @ApiCreatedResponse({ type: CorrectionResultDto, description: 'The schedule before the restructuring is in force again; only while nothing rests on the new one' })
  @ApiNotFoundResponse()
  async reverseRestructuring(
    @Param() { loanId, restructuringId }: RestructuringIdParams,
    @Body() body: ReversalDto,
    @CommandMeta() meta: RequestCommandMeta,
  ): Promise<CorrectionResultDto> {
    const context = commandContext(meta, `restructuring-reversal:${restructuringId}`);
    return correctionView(loanId, await this.commands.execute(new ReverseRestructuringCommand(loanId, { restructuringId, ...body }, context)));
  }

  @Roles(...READERS)
  @TimeTravelRoles('auditor')
  @Get(':loanId')
  @ApiOkResponse({ type: LoanViewDto })
  @ApiNotFoundResponse()
  getLoan(@Param() { loanId }: LoanIdParams, @Query() { payoffOn, asOf, knownAt, paymentsLimit }: GetLoanQueryParams): Promise<LoanViewDto> {
    return this.queries.execute(new GetLoanQuery(loanId, payoffOn, asOf, knownAt, paymentsLimit));
  }

  @Roles(...READERS)
  @Get(':loanId/payments')
  @ApiOkResponse({ type: LoanPaymentsDto, description: "The loan's payments as it stands, in pages, in the order recorded" })
  @ApiNotFoundResponse()
  listPayments(@Param() { loanId }: LoanIdParams, @Query() { offset, limit }: LoanPaymentsQueryParams): Promise<LoanPaymentsDto> {
    return this.queries.execute(new ListLoanPaymentsQuery(loanId, offset ?? 0, limit ?? PAYMENTS_IN_VIEW));
  }

  @Roles(...READERS)
  @Get()
  @ApiOkResponse({ type: [LoanSummaryDto], description: "A borrower's loans, from the loan-register projection" })
  listLoans(@Query() { borrowerId }: ListLoansQueryParams): Promise<LoanSummaryDto[]> {
    return this.queries.execute(new ListBorrowerLoansQuery(borrowerId));
  }
}

/** A command that undoes an earlier one is answered by the correcting event it recorded and the loan's status after it. */
function correctionView<T extends LoanEventType>(loanId: string, { recorded, status }: LoanCorrectedResult<T>): CorrectionResultDto {
  return { loanId, recorded, status };
}

function allocationView(allocation: PaymentAllocation, currency: string): AllocationDto {
  const money = (minor: number) => formatAmount(minor, currency);
  return {
    instalments: allocation.instalments.map((a) => ({
      number: a.number,
      penalty: money(a.penalty),
      interest: money(a.interest),
      principal: money(a.principal),
    })),
    prepaid: allocation.prepaid.map((p) => ({ number: p.number, principal: money(p.principal), interestCancelled: money(p.interestCancelled) })),
    overpayment: money(allocation.overpayment),
    ...(allocation.reamortised && {
      reamortised: {
        option: allocation.reamortised.option,
        instalments: allocation.reamortised.instalments.map((r) => ({ number: r.number, principal: money(r.principal), interest: money(r.interest) })),
      },
    }),
  };
}

function scheduleView(schedule: readonly ScheduledInstalment[], money: (minor: number) => string) {
  return schedule.map((line) => ({
    number: line.number,
    dueOn: line.dueOn,
    principal: money(line.principal),
    interest: money(line.interest),
    payment: money(line.principal + line.interest),
  }));
}
