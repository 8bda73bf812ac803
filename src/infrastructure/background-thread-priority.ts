import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * How much nicer than the request thread the engine's background threads are (projections,
 * WAL checkpoints): a core both want goes to the request thread ~9 times in 10.
 */
export const BACKGROUND_NICENESS_STEP = 10;
/** The nicest Linux allows. */
const NICEST = 19;

/**
 * Lowers the scheduling priority of the calling thread (a worker's), so that the request
 * thread, which answers commands and runs close of business, gets a core first: with two
 * cores, the projection worker, the checkpoint thread and V8's own helpers kept a 100,000-loan
 * close of business waiting 0.32–0.46 s for a core; at this niceness 0.20–0.23 s. Their work
 * is only delayed: they take every core the request thread leaves idle.
 *
 * Linux only: a thread there is scheduled on its own, and its id is found through
 * /proc/thread-self; elsewhere nothing is changed. Returns whether it was.
 */
export function lowerThisThreadsPriority(step = BACKGROUND_NICENESS_STEP): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // "<pid>/task/<tid>"
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    // From the niceness the thread was started with (the process's): never raised, whoever runs it.
    setPriority(threadId, Math.min(NICEST, getPriority(threadId) + step));
    return true;
  } catch {
    return false;
  }
}
