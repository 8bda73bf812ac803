import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { Roles, TimeTravelRoles } from '../../auth/access.decorators.js';
import { READERS } from '../../auth/roles.js';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../../config/app-config.js';
import { CommandMeta, type RequestCommandMeta, commandContext } from '../../http/command-context.decorator.js';
import { formatAmount } from '../../kernel/money/amount.js';
import { ExecuteLoanCommand } from '../commands/execute-loan-command.js';
import { LENDING_POLICY_PRESETS } from '../../policies/lending-policy.js';
import type {
  LoanDisbursedData,
  LoanRestructuredData,
  LoanWrittenOffData,
  OverpaymentRefundedData,
  PaymentReceivedData,
  PenaltyWaivedData,
} from '../domain/loan-events.js';
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
import type { LoanCommand } from '../domain/loan-commands.js';
import type { CommandContext } from '../../kernel/commands/command-context.js';

const CORRECTING_EVENTS: readonly string[] = ['LoanOriginationCancelled', 'PenaltyWaiverReversed', 'WriteOffReversed', 'RestructuringReversed'];
import { ReceivePaymentDto } from './receive-payment.dto.js';
import { RefundOverpaymentDto } from './refund-overpayment.dto.js';
import { ReversalDto } from './reversal.dto.js';

/**
 * Loan commands and queries over HTTP. Each command's id is the `Idempotency-Key` header,
 * or else its natural id (the loan id on origination and disbursement, the payment id), so
 * a retried request returns the first result and appends nothing.
 */
@ApiTags('loans')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Command id; a repeat returns the first result' })
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
      new ExecuteLoanCommand(
        loanId,
        {
          ...terms,
          kind: 'originate',
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
    const outcome = await this.commands.execute(
      new ExecuteLoanCommand(loanId, { kind: 'disburse', ...body }, commandContext(meta, `disburse:${loanId}`)),
    );
    const disbursed = outcome.events[0]!.data as LoanDisbursedData;
    const money = (minor: number) => formatAmount(minor, outcome.state.terms!.currency);
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
    const outcome = await this.commands.execute(
      new ExecuteLoanCommand(loanId, { kind: 'receive-payment', ...body }, commandContext(meta, `payment:${body.paymentId}`)),
    );
    // A PenaltyAccrued for the days up to the payment may come first.
    const received = outcome.events.find((e) => e.type === 'PaymentReceived')!.data as PaymentReceivedData;
    const currency = outcome.state.terms!.currency;
    return {
      loanId,
      paymentId: received.paymentId,
      amount: formatAmount(received.amount, currency),
      allocation: allocationView(received.allocation, currency),
      paidOff: outcome.events.some((e) => e.type === 'LoanPaidOff'),
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
    const outcome = await this.commands.execute(
      new ExecuteLoanCommand(loanId, { kind: 'reverse-payment', paymentId, ...body }, commandContext(meta, `reversal:${paymentId}`)),
    );
    return { loanId, paymentId, reopened: outcome.events.some((e) => e.type === 'LoanReopened') };
  }

  @Post(':loanId/refunds')
  @ApiCreatedResponse({ type: RefundResultDto })
  @ApiNotFoundResponse()
  async refundOverpayment(
    @Param() { loanId }: LoanIdParams,
    @Body() body: RefundOverpaymentDto,
    @CommandMeta() meta: RequestCommandMeta,
  ): Promise<RefundResultDto> {
    const outcome = await this.commands.execute(
      new ExecuteLoanCommand(loanId, { kind: 'refund-overpayment', ...body }, commandContext(meta, `refund:${body.refundId}`)),
    );
    const refunded = outcome.events.find((e) => e.type === 'OverpaymentRefunded')!.data as OverpaymentRefundedData;
    const money = (minor: number) => formatAmount(minor, outcome.state.terms!.currency);
    return { loanId, refundId: refunded.refundId, amount: money(refunded.amount), overpaymentHeld: money(outcome.state.overpaymentHeld) };
  }

  @Post(':loanId/restructurings')
  @ApiCreatedResponse({ type: RestructuringResultDto })
  @ApiNotFoundResponse()
  async restructure(
    @Param() { loanId }: LoanIdParams,
    @Body() body: RestructureLoanDto,
    @CommandMeta() meta: RequestCommandMeta,
  ): Promise<RestructuringResultDto> {
    const outcome = await this.commands.execute(
      new ExecuteLoanCommand(
        loanId,
        { kind: 'restructure', ...body, policy: LENDING_POLICY_PRESETS[this.config.LENDING_POLICY] },
        commandContext(meta, `restructuring:${body.restructuringId}`),
        body,
      ),
    );
    const restructured = outcome.events.find((e) => e.type === 'LoanRestructured')!.data as LoanRestructuredData;
    const money = (minor: number) => formatAmount(minor, outcome.state.terms!.currency);
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
    const outcome = await this.commands.execute(
      new ExecuteLoanCommand(loanId, { kind: 'waive-penalty', ...body }, commandContext(meta, `penalty-waiver:${body.waiverId}`)),
    );
    // Penalty posted through the day before may come first.
    const waived = outcome.events.find((e) => e.type === 'PenaltyWaived')!.data as PenaltyWaivedData;
    return { loanId, waiverId: waived.waiverId, amount: formatAmount(waived.amount, outcome.state.terms!.currency) };
  }

  @Post(':loanId/write-offs')
  @ApiCreatedResponse({ type: WriteOffResultDto })
  @ApiNotFoundResponse()
  async writeOff(@Param() { loanId }: LoanIdParams, @Body() body: WriteOffLoanDto, @CommandMeta() meta: RequestCommandMeta): Promise<WriteOffResultDto> {
    const outcome = await this.commands.execute(
      new ExecuteLoanCommand(loanId, { kind: 'write-off', ...body }, commandContext(meta, `write-off:${body.writeOffId}`)),
    );
    const writtenOff = outcome.events.find((e) => e.type === 'LoanWrittenOff')!.data as LoanWrittenOffData;
    const money = (minor: number) => formatAmount(minor, outcome.state.terms!.currency);
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
  cancelOrigination(@Param() { loanId }: LoanIdParams, @Body() body: CancelOriginationDto, @CommandMeta() meta: RequestCommandMeta): Promise<CorrectionResultDto> {
    return this.correct(loanId, { kind: 'cancel-origination', ...body }, commandContext(meta, `cancellation:${loanId}`));
  }

  @Post(':loanId/penalty-waivers/:waiverId/reversals')
  @ApiCreatedResponse({ type: CorrectionResultDto, description: 'The penalty the waiver waived is owed again' })
  @ApiNotFoundResponse()
  reversePenaltyWaiver(@Param() { loanId, waiverId }: WaiverIdParams, @Body() body: ReversalDto, @CommandMeta() meta: RequestCommandMeta): Promise<CorrectionResultDto> {
    return this.correct(loanId, { kind: 'reverse-penalty-waiver', waiverId, ...body }, commandContext(meta, `penalty-waiver-reversal:${waiverId}`));
  }

  @Post(':loanId/write-offs/:writeOffId/reversals')
  @ApiCreatedResponse({ type: CorrectionResultDto, description: 'The loan is active again, owing what it owed' })
  @ApiNotFoundResponse()
  reverseWriteOff(@Param() { loanId, writeOffId }: WriteOffIdParams, @Body() body: ReversalDto, @CommandMeta() meta: RequestCommandMeta): Promise<CorrectionResultDto> {
    return this.correct(loanId, { kind: 'reverse-write-off', writeOffId, ...body }, commandContext(meta, `write-off-reversal:${writeOffId}`));
  }

  @Post(':loanId/restructurings/:restructuringId/reversals')
  @ApiCreatedResponse({ type: CorrectionResultDto, description: 'The schedule before the restructuring is in force again; only while nothing rests on the new one' })
  @ApiNotFoundResponse()
  reverseRestructuring(
    @Param() { loanId, restructuringId }: RestructuringIdParams,
    @Body() body: ReversalDto,
    @CommandMeta() meta: RequestCommandMeta,
  ): Promise<CorrectionResultDto> {
    return this.correct(loanId, { kind: 'reverse-restructuring', restructuringId, ...body }, commandContext(meta, `restructuring-reversal:${restructuringId}`));
  }

  /** A command that undoes an earlier one with a correcting event, answered by what it recorded and the loan's status after it. */
  private async correct(loanId: string, command: LoanCommand, context: CommandContext): Promise<CorrectionResultDto> {
    const outcome = await this.commands.execute(new ExecuteLoanCommand(loanId, command, context));
    const recorded = outcome.events.findLast((e) => CORRECTING_EVENTS.includes(e.type))!.type;
    return { loanId, recorded, status: outcome.state.status! };
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
