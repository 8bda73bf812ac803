import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { RecordBorrowerTimeZone } from '../domain/collection-commands.js';
import type { BorrowerTimeZoneRecordedData } from '../domain/collection-events.js';
import { CollectionCommandRunner } from './collection-command-runner.js';
import { recordedData } from './recorded-collection-event.js';

export interface TimeZoneRecordedResult {
  readonly recorded: BorrowerTimeZoneRecordedData;
  readonly repeated: boolean;
}

/** Where the borrower lives from an instant on. */
export class RecordTimeZoneCommand extends Command<TimeZoneRecordedResult> {
  constructor(
    readonly borrowerId: string,
    readonly timeZone: Omit<RecordBorrowerTimeZone, 'kind'>,
    readonly context: CommandContext,
    /** The client's request: the command adds the clock when it names no instant. */
    readonly request: unknown,
  ) {
    super();
  }
}

@CommandHandler(RecordTimeZoneCommand)
export class RecordTimeZoneHandler implements ICommandHandler<RecordTimeZoneCommand> {
  constructor(private readonly collections: CollectionCommandRunner) {}

  async execute({ borrowerId, timeZone, context, request }: RecordTimeZoneCommand): Promise<TimeZoneRecordedResult> {
    const outcome = await this.collections.run(borrowerId, { kind: 'record-time-zone', ...timeZone }, context, request);
    return { recorded: recordedData(outcome, 'BorrowerTimeZoneRecorded'), repeated: outcome.repeated };
  }
}
