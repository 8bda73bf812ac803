import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { RecordContactRestriction } from '../domain/collection-commands.js';
import type { ContactRestrictionRecordedData, ContactViolationFoundData } from '../domain/collection-events.js';
import { CollectionCommandRunner } from './collection-command-runner.js';
import { allRecorded, recordedData } from './recorded-collection-event.js';

export interface RestrictionRecordedResult {
  readonly recorded: ContactRestrictionRecordedData;
  /** Contacts already recorded at or after the request, found in violation of it. */
  readonly violationsFound: readonly ContactViolationFoundData[];
  readonly repeated: boolean;
}

/** A stop request, honoured from when the borrower made it. */
export class RecordRestrictionCommand extends Command<RestrictionRecordedResult> {
  constructor(
    readonly borrowerId: string,
    readonly restriction: Omit<RecordContactRestriction, 'kind'>,
    readonly context: CommandContext,
    /** The client's request: a retry without requestedAt is the same command, whatever the clock says by then. */
    readonly request: unknown,
  ) {
    super();
  }
}

@CommandHandler(RecordRestrictionCommand)
export class RecordRestrictionHandler implements ICommandHandler<RecordRestrictionCommand> {
  constructor(private readonly collections: CollectionCommandRunner) {}

  async execute({ borrowerId, restriction, context, request }: RecordRestrictionCommand): Promise<RestrictionRecordedResult> {
    const outcome = await this.collections.run(borrowerId, { kind: 'record-restriction', ...restriction }, context, request);
    return {
      recorded: recordedData(outcome, 'ContactRestrictionRecorded'),
      violationsFound: allRecorded(outcome, 'ContactViolationFound'),
      repeated: outcome.repeated,
    };
  }
}
