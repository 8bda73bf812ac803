import { Injectable } from '@nestjs/common';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import { CommandPipeline, type CommandOutcome } from '../../kernel/commands/command-pipeline.js';
import { FutureDateGuard } from '../../kernel/dates/future-date-guard.js';
import { NotFoundError } from '../../kernel/errors/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import type { LoanCommand } from '../domain/loan-commands.js';
import { businessDateOf } from '../domain/loan-command-dates.js';
import { loanDecider } from '../domain/loan-decider.js';
import { type LoanEvent, loanStream } from '../domain/loan-events.js';
import type { LoanState } from '../domain/loan-state.js';

export type LoanCommandOutcome = CommandOutcome<LoanEvent, LoanState>;

/**
 * The one path every loan command handler takes to the pipeline, so that what the server
 * adds to a command on its way in is decided in one place: a business date after today is
 * refused before it reaches the log, and a payment carries the server's backdating limit.
 */
@Injectable()
export class LoanCommandRunner {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly dates: FutureDateGuard,
    private readonly config: AppConfig,
  ) {}

  /** `fingerprint`: the client's request, when the command adds facts of the server's own (see CommandPipeline.run). */
  run(loanId: string, command: LoanCommand, context: CommandContext, fingerprint: unknown = command): Promise<LoanCommandOutcome> {
    const { field, date } = businessDateOf(command);
    this.dates.refuseFutureDate(field, date);
    // The limit is the server's, not the client's request: it is left out of the fingerprint.
    const decided = command.kind === 'receive-payment' ? { ...command, backdatingLimitDays: this.config.BACKDATING_LIMIT_DAYS } : command;
    return this.pipeline.run(loanDecider, loanStream(loanId), decided, context, fingerprint).catch((error: unknown) => {
      // The decider sees a loan's state, not its id: the refusal is given the id here.
      if (error instanceof NotFoundError && error.code === 'LOAN.NOT_FOUND') throw new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId}`, { loanId });
      throw error;
    });
  }
}
