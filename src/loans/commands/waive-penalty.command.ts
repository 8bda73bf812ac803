import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { WaivePenalty } from '../domain/loan-commands.js';
import type { PenaltyWaivedData } from '../domain/loan-events.js';
import { LoanCommandRunner } from './loan-command-runner.js';
import { currencyOf, recordedData } from './recorded-loan-event.js';

export interface PenaltyWaivedResult {
  readonly waived: PenaltyWaivedData;
  readonly currency: string;
  readonly repeated: boolean;
}

export class WaivePenaltyCommand extends Command<PenaltyWaivedResult> {
  constructor(
    readonly loanId: string,
    readonly waiver: Omit<WaivePenalty, 'kind'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(WaivePenaltyCommand)
export class WaivePenaltyHandler implements ICommandHandler<WaivePenaltyCommand> {
  constructor(private readonly loans: LoanCommandRunner) {}

  async execute({ loanId, waiver, context }: WaivePenaltyCommand): Promise<PenaltyWaivedResult> {
    const outcome = await this.loans.run(loanId, { kind: 'waive-penalty', ...waiver }, context);
    // Penalty posted through the day before may come first.
    return { waived: recordedData(outcome, 'PenaltyWaived'), currency: currencyOf(outcome), repeated: outcome.repeated };
  }
}
