import { Subject } from 'rxjs';
import { type Checkpoints, liveCheckpoints } from '../../src/dashboard/live-checkpoints.js';
import type { ProjectionReport } from '../../src/infrastructure/projections/projections.service.js';
import { waitFor } from '../support/wait-for.js';

const report = (checkpoint: number, lag: number, state: ProjectionReport['state'] = 'live'): ProjectionReport => ({ name: 'p', version: 1, checkpoint, state, lag });

describe('liveCheckpoints', () => {
  it('reads once on connecting, then only when woken, and again while a projection lags', async () => {
    const appended = new Subject<void>();
    let log = 0;
    let checkpoint = 0;
    let reads = 0;
    const reports = async () => (reads++, [report(checkpoint, log - checkpoint)]);
    const seen: Checkpoints[] = [];
    const subscription = liveCheckpoints(reports, appended, 5).subscribe((checkpoints) => seen.push(checkpoints));
    await waitFor(() => seen.length === 1, 'the first read');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reads).toBe(1);

    // Woken while the projection is behind: it looks again until it has caught up.
    log = 3;
    appended.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    checkpoint = 3;
    await waitFor(() => seen.at(-1)!['p'] === 3, 'the projection to catch up');
    const readsWhenCaughtUp = reads;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reads).toBe(readsWhenCaughtUp);
    subscription.unsubscribe();
  });

  it('does not wait for a failed projection', async () => {
    const appended = new Subject<void>();
    let reads = 0;
    const subscription = liveCheckpoints(async () => (reads++, [report(1, 5, 'failed')]), appended, 5).subscribe();
    appended.next();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(reads).toBeLessThanOrEqual(2);
    subscription.unsubscribe();
  });
});
