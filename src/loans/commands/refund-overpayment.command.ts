import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { RefundOverpayment } from '../domain/loan-commands.js';
import type { OverpaymentRefundedData } from '../domain/loan-events.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { currencyOf, recordedData } from './recorded-loan-event.js';

export interface OverpaymentRefundedResult {
  readonly refunded: OverpaymentRefundedData;
  /** What the loan holds as it stands after the command. */
  readonly overpaymentHeld: MinorUnits;
  readonly currency: string;
  readonly repeated: boolean;
}

export class RefundOverpaymentCommand extends Command<OverpaymentRefundedResult> {
  constructor(
    readonly loanId: string,
    readonly refund: Omit<RefundOverpayment, 'kind'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RefundOverpaymentCommand)
export class RefundOverpaymentHandler implements ICommandHandler<RefundOverpaymentCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ loanId, refund, context }: RefundOverpaymentCommand): Promise<OverpaymentRefundedResult> {
    const outcome = await this.loans.run(loanId, { kind: 'refund-overpayment', ...refund }, context);
    return {
      refunded: recordedData(outcome, 'OverpaymentRefunded'),
      overpaymentHeld: outcome.state.overpaymentHeld,
      currency: currencyOf(outcome),
      repeated: outcome.repeated,
    };
  }
}
