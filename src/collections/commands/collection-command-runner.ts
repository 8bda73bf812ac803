import { Injectable } from '@nestjs/common';
import type { CommandContext } from '../../kernel/commands/command-context.js';
import { CommandPipeline, type CommandOutcome } from '../../kernel/commands/command-pipeline.js';
import { FutureDateGuard } from '../../kernel/dates/future-date-guard.js';
import type { CollectionCommand } from '../domain/collection-commands.js';
import { collectionDecider } from '../domain/collection-decider.js';
import { type CollectionEvent, collectionStream } from '../domain/collection-events.js';
import type { CollectionState } from '../domain/collection-state.js';

export type CollectionCommandOutcome = CommandOutcome<CollectionEvent, CollectionState>;

/** The instant a command says something happened at, and the field it came in. */
function instantOf(command: CollectionCommand): { field: string; instant: string } | undefined {
  switch (command.kind) {
    case 'record-contact':
      return { field: 'at', instant: command.at };
    case 'record-restriction':
      return { field: 'requestedAt', instant: command.requestedAt };
    case 'record-time-zone':
      return { field: 'from', instant: command.from };
    case 'settle-promises':
      return undefined;
  }
}

/** The one path every collection command handler takes to the pipeline, so the future-instant check is made in one place. */
@Injectable()
export class CollectionCommandRunner {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly dates: FutureDateGuard,
  ) {}

  /** `fingerprint`: the client's request; the commands add the clock, the policy in force or facts looked up. */
  run(borrowerId: string, command: CollectionCommand, context: CommandContext, fingerprint: unknown): Promise<CollectionCommandOutcome> {
    // What has not happened yet cannot be recorded: the log would keep it for good.
    const happened = instantOf(command);
    if (happened) this.dates.refuseFutureInstant(happened.field, happened.instant);
    return this.pipeline.run(collectionDecider, collectionStream(borrowerId), command, context, fingerprint);
  }
}
