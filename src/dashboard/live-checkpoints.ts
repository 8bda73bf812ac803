import { Observable } from 'rxjs';
import type { ProjectionReport } from '../infrastructure/projections/projections.service.js';

export type Checkpoints = Record<string, number>;

/**
 * Every projection's checkpoint: once at once, then each time `appended` wakes it. The
 * projections follow the appends a moment later (in the worker thread, or another
 * instance), so after a wake-up the reports are read again every `pollMs` until no running
 * projection lags the log; a failed one never catches up and is not waited for. A wake-up
 * during a read asks for one more, so that the last append is never missed.
 */
export function liveCheckpoints(reports: () => Promise<ProjectionReport[]>, appended: Observable<unknown>, pollMs: number): Observable<Checkpoints> {
  return new Observable<Checkpoints>((subscriber) => {
    let wanted = false;
    let reading = false;
    let timer: NodeJS.Timeout | undefined;
    const look = async () => {
      if (reading || subscriber.closed) return;
      reading = true;
      try {
        while (wanted && !subscriber.closed) {
          wanted = false;
          const read = await reports();
          subscriber.next(Object.fromEntries(read.map((report) => [report.name, report.checkpoint])));
          if (read.some((report) => report.state !== 'failed' && report.lag > 0)) {
            wanted = true;
            await new Promise<void>((resolve) => (timer = setTimeout(resolve, pollMs)));
          }
        }
      } catch (error) {
        subscriber.error(error);
      } finally {
        reading = false;
      }
    };
    const wake = () => {
      wanted = true;
      void look();
    };
    const wakes = appended.subscribe(wake);
    wake();
    return () => {
      wakes.unsubscribe();
      clearTimeout(timer);
    };
  });
}
