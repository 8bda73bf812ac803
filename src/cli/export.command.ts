import type { INestApplicationContext } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { EVENT_STORE, type EventStore, START_OF_LOG, type StoredEvent } from '../kernel/event-store/event-store.port.js';
import { UpcastingEventStore } from '../kernel/event-store/upcasting-event-store.js';
import { isClientId } from '../kernel/client-id.js';
import { NotFoundError } from '../kernel/errors/domain-error.js';
import { loanStream } from '../loans/domain/loan-events.js';
import { ProgressBar } from './progress-bar.js';
import { UsageError } from './usage-error.js';

const PAGE_SIZE = 5_000;

/**
 * `arrears export [--loan ID] [--out FILE]`: events as NDJSON for an examiner, exactly as
 * stored (old schema versions are not upcast; the hash chain can be checked from the file).
 */
export async function exportCommand(app: INestApplicationContext, values: { loan?: string; out?: string }): Promise<number> {
  if (values.loan !== undefined && !isClientId(values.loan)) throw new UsageError('--loan must be a loan id');
  const events = app.get<EventStore>(EVENT_STORE);
  const stored = events instanceof UpcastingEventStore ? events.stored : events;
  // A loan's events are read before the file is created: no loan, no empty file.
  const loanEvents = values.loan === undefined ? undefined : await stored.readStream(loanStream(values.loan));
  if (values.loan !== undefined && loanEvents?.length === 0) throw new NotFoundError('LOAN.NOT_FOUND', `No loan ${values.loan}`, { loanId: values.loan });
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  const write = async (event: StoredEvent) => {
    const line = JSON.stringify({
      position: event.position,
      stream: event.stream,
      revision: event.revision,
      id: event.id,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      recordedAt: event.recordedAt,
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  let exported = 0;
  if (loanEvents !== undefined) {
    for (const event of loanEvents) await write(event), exported++;
  } else {
    const head = await stored.headPosition();
    const bar = new ProgressBar('export', 'events');
    try {
      for (let page = await stored.readAll(START_OF_LOG, PAGE_SIZE); page.length > 0; page = await stored.readAll(page.at(-1)!.position, PAGE_SIZE)) {
        for (const event of page) await write(event), exported++;
        bar.update(page.at(-1)!.position, head);
      }
    } finally {
      bar.stop();
    }
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  process.stderr.write(`exported ${exported} events\n`);
  return 0;
}
