import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
let killingOnExit = false;

/**
 * Every process the benchmark starts is killed when it exits, however it exits (the end,
 * an error, Ctrl-C via process.exit): no server or load generator outlives a failed run.
 */
export function killOnExit(child: ChildProcess): void {
  if (!killingOnExit) process.once('exit', killAll);
  killingOnExit = true;
  running.add(child);
  child.once('exit', () => running.delete(child));
}

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}
