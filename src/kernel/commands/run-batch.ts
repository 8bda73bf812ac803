import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Decider, DomainEvent } from '../decider.js';
import type { CommandContext } from './command-context.js';
import { commandHash } from './command-hash.js';
import type { CommandOutcome } from './command-outcome.js';
import type { Prepared } from './decide-command.js';
import type { CommandLoop } from './run-command.js';

/** One command of a batch (CommandPipeline.runBatch): each on a stream of its own. */
export interface StreamCommand<TCommand> {
  readonly stream: string;
  readonly command: TCommand;
  readonly context: CommandContext;
  readonly fingerprint?: unknown;
}

export interface BatchOptions {
  /**
   * Give the event loop a turn after deciding this many commands: the embedded store
   * answers synchronously, so a large batch would otherwise hold up HTTP requests. A
   * command that lands meanwhile on a stream of the batch only sends that one command
   * round again on its own.
   */
  readonly yieldEvery?: number;
}

/**
 * Commands on distinct streams, decided one by one and appended together: where the store
 * commits a batch at once, a run over many aggregates (close of business) pays for one
 * durable commit instead of one per command. A command whose stream moved meanwhile is
 * run again on its own (`runAlone`, the single-command path); a rejected command rejects
 * the batch, which appends nothing.
 */
export async function runBatch<TCommand, TEvent extends DomainEvent, TState>(
  { store, steps }: CommandLoop,
  decider: Decider<TCommand, TEvent, TState>,
  commands: readonly StreamCommand<TCommand>[],
  options: BatchOptions,
  runAlone: (command: StreamCommand<TCommand>) => Promise<CommandOutcome<TEvent, TState>>,
): Promise<CommandOutcome<TEvent, TState>[]> {
  const prepared: Prepared<TEvent, TState>[] = [];
  for (const { stream, command, context, fingerprint = command } of commands) {
    const request = { stream, command, context, hash: commandHash(fingerprint) };
    prepared.push(await steps.decide(decider, await steps.load(decider, stream), request));
    if (options.yieldEvery && prepared.length % options.yieldEvery === 0) await yieldToEventLoop();
  }
  const pending = prepared.flatMap((p, index) => (p.answered ? [] : [{ index, prepared: p }]));
  const appended = await store.appendToStreams(pending.map(({ prepared }) => prepared.append));
  const outcomes = prepared.map((p) => p.answered);
  for (const [i, { index, prepared }] of pending.entries()) {
    const result = appended[i]!;
    if (result.appended) {
      outcomes[index] = await steps.answer(decider, prepared, result.appended);
    } else {
      steps.forget(commands[index]!.stream);
      outcomes[index] = await runAlone(commands[index]!);
    }
  }
  return outcomes as CommandOutcome<TEvent, TState>[];
}
