import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { OriginateLoan } from '../domain/loan-commands.js';
import type { LoanOriginatedData } from '../domain/loan-events.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { recordedData } from './recorded-loan-event.js';

export interface LoanOriginatedResult {
  readonly originated: LoanOriginatedData;
  readonly repeated: boolean;
}

export class OriginateLoanCommand extends Command<LoanOriginatedResult> {
  constructor(
    readonly origination: Omit<OriginateLoan, 'kind'>,
    readonly context: CommandContext,
    /** The client's request: the command adds the lending policy in force. */
    readonly request: unknown,
  ) {
    super();
  }
}

@CommandHandler(OriginateLoanCommand)
export class OriginateLoanHandler implements ICommandHandler<OriginateLoanCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ origination, context, request }: OriginateLoanCommand): Promise<LoanOriginatedResult> {
    const outcome = await this.loans.run(origination.loanId, { ...origination, kind: 'originate' }, context, request);
    return { originated: recordedData(outcome, 'LoanOriginated'), repeated: outcome.repeated };
  }
}
