import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import type { RecordCollectionContact } from '../domain/collection-commands.js';
import type { CollectionContactRecordedData } from '../domain/collection-events.js';
import { CollectionCommandRunner } from './collection-command-runner.js';
import { recordedData } from './recorded-collection-event.js';

export interface ContactRecordedResult {
  /** The contact, with every rule it broke. */
  readonly recorded: CollectionContactRecordedData;
  readonly repeated: boolean;
}

/** A contact that happened: always recorded, with the rules it broke. */
export class RecordContactCommand extends Command<ContactRecordedResult> {
  constructor(
    readonly borrowerId: string,
    readonly contact: Omit<RecordCollectionContact, 'kind'>,
    readonly context: CommandContext,
    /** The client's request: the command adds the loan, the borrower's zones and the policy in force. */
    readonly request: unknown,
  ) {
    super();
  }
}

@CommandHandler(RecordContactCommand)
export class RecordContactHandler implements ICommandHandler<RecordContactCommand> {
  constructor(private readonly collections: CollectionCommandRunner) {}

  async execute({ borrowerId, contact, context, request }: RecordContactCommand): Promise<ContactRecordedResult> {
    const outcome = await this.collections.run(borrowerId, { kind: 'record-contact', ...contact }, context, request);
    return { recorded: recordedData(outcome, 'CollectionContactRecorded'), repeated: outcome.repeated };
  }
}
