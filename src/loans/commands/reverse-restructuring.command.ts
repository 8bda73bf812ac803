import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { ReverseRestructuring } from '../domain/loan-commands.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { type LoanCorrectedResult, correctedResult } from './loan-corrected-result.js';

/** The schedule before the restructuring is in force again; only while nothing rests on the new one. */
export class ReverseRestructuringCommand extends Command<LoanCorrectedResult<'RestructuringReversed'>> {
  constructor(
    readonly loanId: string,
    readonly reversal: Omit<ReverseRestructuring, 'kind'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ReverseRestructuringCommand)
export class ReverseRestructuringHandler implements ICommandHandler<ReverseRestructuringCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ loanId, reversal, context }: ReverseRestructuringCommand): Promise<LoanCorrectedResult<'RestructuringReversed'>> {
    const outcome = await this.loans.run(loanId, { kind: 'reverse-restructuring', ...reversal }, context);
    return correctedResult(outcome, 'RestructuringReversed');
  }
}
