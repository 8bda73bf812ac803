import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { ReceivePayment } from '../domain/loan-commands.js';
import type { PaymentReceivedData } from '../domain/loan-events.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { currencyOf, hasRecorded, recordedData } from './recorded-loan-event.js';

export interface PaymentReceivedResult {
  readonly received: PaymentReceivedData;
  /** The payment settled everything the loan owed. */
  readonly paidOff: boolean;
  readonly currency: string;
  readonly repeated: boolean;
}

export class ReceivePaymentCommand extends Command<PaymentReceivedResult> {
  constructor(
    readonly loanId: string,
    /** The backdating limit is the server's (LoanCommandRunner), not the client's. */
    readonly payment: Omit<ReceivePayment, 'kind' | 'backdatingLimitDays'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ReceivePaymentCommand)
export class ReceivePaymentHandler implements ICommandHandler<ReceivePaymentCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ loanId, payment, context }: ReceivePaymentCommand): Promise<PaymentReceivedResult> {
    const outcome = await this.loans.run(loanId, { kind: 'receive-payment', ...payment }, context);
    // A PenaltyAccrued for the days up to the payment may come first.
    return {
      received: recordedData(outcome, 'PaymentReceived'),
      paidOff: hasRecorded(outcome, 'LoanPaidOff'),
      currency: currencyOf(outcome),
      repeated: outcome.repeated,
    };
  }
}
