import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { DisburseLoan } from '../domain/loan-commands.js';
import type { LoanDisbursedData } from '../domain/loan-events.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { currencyOf, recordedData } from './recorded-loan-event.js';

export interface LoanDisbursedResult {
  readonly disbursed: LoanDisbursedData;
  readonly currency: string;
  readonly repeated: boolean;
}

export class DisburseLoanCommand extends Command<LoanDisbursedResult> {
  constructor(
    readonly loanId: string,
    readonly disbursement: Omit<DisburseLoan, 'kind'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(DisburseLoanCommand)
export class DisburseLoanHandler implements ICommandHandler<DisburseLoanCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ loanId, disbursement, context }: DisburseLoanCommand): Promise<LoanDisbursedResult> {
    const outcome = await this.loans.run(loanId, { kind: 'disburse', ...disbursement }, context);
    return { disbursed: recordedData(outcome, 'LoanDisbursed'), currency: currencyOf(outcome), repeated: outcome.repeated };
  }
}
