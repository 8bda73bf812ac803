import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { SettlePromises } from '../domain/collection-commands.js';
import type { PromiseToPayBrokenData, PromiseToPayKeptData } from '../domain/collection-events.js';
import { CollectionCommandRunner } from './collection-command-runner.js';
import { allRecorded } from './recorded-collection-event.js';

export interface PromisesSettledResult {
  readonly kept: readonly PromiseToPayKeptData[];
  readonly broken: readonly PromiseToPayBrokenData[];
  /** How many events the command recorded (the first time it was handled, on a repeat). */
  readonly eventsRecorded: number;
  readonly repeated: boolean;
}

/** Close of business for one borrower's open promises to pay: kept or broken by the loans' payments. */
export class SettlePromisesCommand extends Command<PromisesSettledResult> {
  constructor(
    readonly borrowerId: string,
    readonly settlement: Omit<SettlePromises, 'kind'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(SettlePromisesCommand)
export class SettlePromisesHandler implements ICommandHandler<SettlePromisesCommand> {
  constructor(private readonly collections: CollectionCommandRunner) {}

  async execute({ borrowerId, settlement, context }: SettlePromisesCommand): Promise<PromisesSettledResult> {
    // The payments are looked up by the server, not asked for: the date alone makes two settlements the same command.
    const outcome = await this.collections.run(borrowerId, { kind: 'settle-promises', ...settlement }, context, { businessDate: settlement.businessDate });
    return {
      kept: allRecorded(outcome, 'PromiseToPayKept'),
      broken: allRecorded(outcome, 'PromiseToPayBroken'),
      eventsRecorded: outcome.events.length,
      repeated: outcome.repeated,
    };
  }
}
