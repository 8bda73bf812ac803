import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { WriteOffLoan } from '../domain/loan-commands.js';
import type { LoanWrittenOffData } from '../domain/loan-events.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { currencyOf, recordedData } from './recorded-loan-event.js';

export interface LoanWrittenOffResult {
  readonly writtenOff: LoanWrittenOffData;
  readonly currency: string;
  readonly repeated: boolean;
}

export class WriteOffLoanCommand extends Command<LoanWrittenOffResult> {
  constructor(
    readonly loanId: string,
    readonly writeOff: Omit<WriteOffLoan, 'kind'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(WriteOffLoanCommand)
export class WriteOffLoanHandler implements ICommandHandler<WriteOffLoanCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ loanId, writeOff, context }: WriteOffLoanCommand): Promise<LoanWrittenOffResult> {
    const outcome = await this.loans.run(loanId, { kind: 'write-off', ...writeOff }, context);
    return { writtenOff: recordedData(outcome, 'LoanWrittenOff'), currency: currencyOf(outcome), repeated: outcome.repeated };
  }
}
