import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { CancelOrigination } from '../domain/loan-commands.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { type LoanCorrectedResult, correctedResult } from './loan-corrected-result.js';

/** Withdraws an origination before disbursement. */
export class CancelOriginationCommand extends Command<LoanCorrectedResult<'LoanOriginationCancelled'>> {
  constructor(
    readonly loanId: string,
    readonly cancellation: Omit<CancelOrigination, 'kind'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CancelOriginationCommand)
export class CancelOriginationHandler implements ICommandHandler<CancelOriginationCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ loanId, cancellation, context }: CancelOriginationCommand): Promise<LoanCorrectedResult<'LoanOriginationCancelled'>> {
    const outcome = await this.loans.run(loanId, { kind: 'cancel-origination', ...cancellation }, context);
    return correctedResult(outcome, 'LoanOriginationCancelled');
  }
}
