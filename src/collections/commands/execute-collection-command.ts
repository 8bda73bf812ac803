import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import { CommandPipeline, type CommandOutcome } from '../../kernel/commands/command-pipeline.js';
import type { CollectionCommand } from '../domain/collection-commands.js';
import { collectionDecider } from '../domain/collection-decider.js';
import { type CollectionEvent, collectionStream } from '../domain/collection-events.js';
import type { CollectionState } from '../domain/collection-state.js';

export type CollectionCommandOutcome = CommandOutcome<CollectionEvent, CollectionState>;

/** Any command on one borrower's collection stream. */
export class ExecuteCollectionCommand extends Command<CollectionCommandOutcome> {
  constructor(
    readonly borrowerId: string,
    readonly command: CollectionCommand,
    readonly context: CommandContext,
    /** The client's request: the command adds the clock and the policy in force. */
    readonly fingerprint: unknown,
  ) {
    super();
  }
}

@CommandHandler(ExecuteCollectionCommand)
export class ExecuteCollectionCommandHandler implements ICommandHandler<ExecuteCollectionCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ borrowerId, command, context, fingerprint }: ExecuteCollectionCommand): Promise<CollectionCommandOutcome> {
    return this.pipeline.run(collectionDecider, collectionStream(borrowerId), command, context, fingerprint);
  }
}
