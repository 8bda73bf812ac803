import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import { CommandPipeline, type CommandOutcome } from '../../kernel/commands/command-pipeline.js';
import type { LoanCommand } from '../domain/loan-commands.js';
import { businessDateOf } from '../domain/loan-command-dates.js';
import { FutureDateGuard } from '../../kernel/dates/future-date-guard.js';
import { AppConfig } from '../../config/app-config.js';
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
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly dates: FutureDateGuard,
    private readonly config: AppConfig,
  ) {}

  async execute({ loanId, command, context, fingerprint }: ExecuteLoanCommand): Promise<LoanCommandOutcome> {
    const { field, date } = businessDateOf(command);
    this.dates.refuseFutureDate(field, date);
    // The limit is the server's, not the client's request: it is left out of the fingerprint.
    const decided = command.kind === 'receive-payment' ? { ...command, backdatingLimitDays: this.config.BACKDATING_LIMIT_DAYS } : command;
    return this.pipeline.run(loanDecider, loanStream(loanId), decided, context, fingerprint ?? command);
  }
}
