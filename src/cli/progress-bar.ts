import cliProgress from 'cli-progress';
import { formatTimeLeft } from './time-left.js';

/**
 * A progress bar on stderr that also reaches a log file or a pipe (a line a second), not
 * only a terminal. Started on the first update, when the total is known.
 */
export class ProgressBar {
  private readonly bar: cliProgress.SingleBar;
  private started = false;

  constructor(label: string, unit: string) {
    this.bar = new cliProgress.SingleBar(
      { format: `${label} {bar} {value}/{total} ${unit} | {eta_formatted} left`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000, formatTime: formatTimeLeft },
      cliProgress.Presets.shades_classic,
    );
  }

  update(done: number, total: number): void {
    if (!this.started) this.bar.start(total, 0);
    this.started = true;
    this.bar.update(done);
  }

  stop(): void {
    this.bar.stop();
  }
}
