import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { RestructureLoan } from '../domain/loan-commands.js';
import type { LoanRestructuredData } from '../domain/loan-events.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { currencyOf, recordedData } from './recorded-loan-event.js';

export interface LoanRestructuredResult {
  readonly restructured: LoanRestructuredData;
  readonly currency: string;
  readonly repeated: boolean;
}

export class RestructureLoanCommand extends Command<LoanRestructuredResult> {
  constructor(
    readonly loanId: string,
    readonly restructuring: Omit<RestructureLoan, 'kind'>,
    readonly context: CommandContext,
    /** The client's request: the command adds the lending policy in force. */
    readonly request: unknown,
  ) {
    super();
  }
}

@CommandHandler(RestructureLoanCommand)
export class RestructureLoanHandler implements ICommandHandler<RestructureLoanCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ loanId, restructuring, context, request }: RestructureLoanCommand): Promise<LoanRestructuredResult> {
    const outcome = await this.loans.run(loanId, { kind: 'restructure', ...restructuring }, context, request);
    return { restructured: recordedData(outcome, 'LoanRestructured'), currency: currencyOf(outcome), repeated: outcome.repeated };
  }
}
