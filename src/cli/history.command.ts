import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { EventLogReader } from '../audit/event-log.reader.js';
import { NotFoundError } from '../kernel/errors/domain-error.js';
import { isClientId } from '../kernel/client-id.js';
import { loanStream } from '../loans/domain/loan-events.js';
import { UsageError } from './usage-error.js';

/** `arrears history <loanId>`: the loan's events, one line each, oldest first. */
export async function historyCommand(app: INestApplicationContext, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  const [loanId] = positionals;
  if (positionals.length !== 1 || !loanId || !isClientId(loanId)) throw new UsageError('history takes one loan id');
  const log = await app.get(EventLogReader).stream(loanStream(loanId), () => new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId}`));
  for (const e of log.events) {
    process.stdout.write(`${String(e.revision).padStart(4)}  ${e.recordedAt}  ${e.type.padEnd(30)} ${(e.actor ?? '').padEnd(28)} ${JSON.stringify(e.data)}\n`);
  }
  return 0;
}
