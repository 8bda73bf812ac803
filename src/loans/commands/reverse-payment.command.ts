import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { ReversePayment } from '../domain/loan-commands.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { hasRecorded } from './recorded-loan-event.js';

export interface PaymentReversedResult {
  /** The reversal left a paid-off loan owing again. */
  readonly reopened: boolean;
  readonly repeated: boolean;
}

export class ReversePaymentCommand extends Command<PaymentReversedResult> {
  constructor(
    readonly loanId: string,
    readonly reversal: Omit<ReversePayment, 'kind'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ReversePaymentCommand)
export class ReversePaymentHandler implements ICommandHandler<ReversePaymentCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ loanId, reversal, context }: ReversePaymentCommand): Promise<PaymentReversedResult> {
    const outcome = await this.loans.run(loanId, { kind: 'reverse-payment', ...reversal }, context);
    return { reopened: hasRecorded(outcome, 'LoanReopened'), repeated: outcome.repeated };
  }
}
