import type { CommandContext } from './command-context.js';

/** One command as the pipeline's steps see it: where it goes, who sent it, and the hash that identifies it. */
export interface CommandRequest<TCommand> {
  readonly stream: string;
  readonly command: TCommand;
  readonly context: CommandContext;
  /** `commandHash` of the fingerprint (see CommandPipeline.run): computed once, for every attempt. */
  readonly hash: string;
  /**
   * The caller vouches that no command with this id has reached the stream before, so the
   * idempotency lookup (repeated-command.ts) would find nothing and is skipped. Only for a
   * caller that can know it from the log: close of business on a date whose first run it is
   * (close-of-business-runs.ts). Absent, the lookup runs.
   */
  readonly unseenCommandId?: boolean;
}
