import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { ReversePenaltyWaiver } from '../domain/loan-commands.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { type LoanCorrectedResult, correctedResult } from './loan-corrected-result.js';

/** The penalty the waiver waived is owed again. */
export class ReversePenaltyWaiverCommand extends Command<LoanCorrectedResult<'PenaltyWaiverReversed'>> {
  constructor(
    readonly loanId: string,
    readonly reversal: Omit<ReversePenaltyWaiver, 'kind'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ReversePenaltyWaiverCommand)
export class ReversePenaltyWaiverHandler implements ICommandHandler<ReversePenaltyWaiverCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ loanId, reversal, context }: ReversePenaltyWaiverCommand): Promise<LoanCorrectedResult<'PenaltyWaiverReversed'>> {
    const outcome = await this.loans.run(loanId, { kind: 'reverse-penalty-waiver', ...reversal }, context);
    return correctedResult(outcome, 'PenaltyWaiverReversed');
  }
}
