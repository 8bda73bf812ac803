import type { CommandContext } from './command-context.js';

/** One command as the pipeline's steps see it: where it goes, who sent it, and the hash that identifies it. */
export interface CommandRequest<TCommand> {
  readonly stream: string;
  readonly command: TCommand;
  readonly context: CommandContext;
  /** `commandHash` of the fingerprint (see CommandPipeline.run): computed once, for every attempt. */
  readonly hash: string;
}
