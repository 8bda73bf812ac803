import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { ReverseWriteOff } from '../domain/loan-commands.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { type LoanCorrectedResult, correctedResult } from './loan-corrected-result.js';

/** The loan is active again, owing what it owed. */
export class ReverseWriteOffCommand extends Command<LoanCorrectedResult<'WriteOffReversed'>> {
  constructor(
    readonly loanId: string,
    readonly reversal: Omit<ReverseWriteOff, 'kind'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ReverseWriteOffCommand)
export class ReverseWriteOffHandler implements ICommandHandler<ReverseWriteOffCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ loanId, reversal, context }: ReverseWriteOffCommand): Promise<LoanCorrectedResult<'WriteOffReversed'>> {
    const outcome = await this.loans.run(loanId, { kind: 'reverse-write-off', ...reversal }, context);
    return correctedResult(outcome, 'WriteOffReversed');
  }
}
