import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import { CommandPipeline, type CommandOutcome } from '../../kernel/commands/command-pipeline.js';
import type { LoanCommand } from '../domain/loan-commands.js';
import { loanDecider } from '../domain/loan-decider.js';
import { type LoanEvent, loanStream } from '../domain/loan-events.js';
import type { LoanState } from '../domain/loan-state.js';

export type LoanCommandOutcome = CommandOutcome<LoanEvent, LoanState>;

/** Any command on one loan; the decider tells them apart. */
export class ExecuteLoanCommand extends Command<LoanCommandOutcome> {
  constructor(
    readonly loanId: string,
    readonly command: LoanCommand,
    readonly context: CommandContext,
    /** The client's request, when the command adds facts of the server's own (see CommandPipeline.run). */
    readonly fingerprint?: unknown,
  ) {
    super();
  }
}

@CommandHandler(ExecuteLoanCommand)
export class ExecuteLoanCommandHandler implements ICommandHandler<ExecuteLoanCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ loanId, command, context, fingerprint }: ExecuteLoanCommand): Promise<LoanCommandOutcome> {
    return this.pipeline.run(loanDecider, loanStream(loanId), command, context, fingerprint ?? command);
  }
}
