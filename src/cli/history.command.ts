import type { INestApplicationContext } from '@nestjs/common';
import { EventLogReader } from '../audit/event-log.reader.js';
import { NotFoundError } from '../kernel/errors/domain-error.js';
import { isClientId } from '../kernel/client-id.js';
import { formatAmount } from '../kernel/money/amount.js';
import { loanStream } from '../loans/domain/loan-events.js';
import { UsageError } from './usage-error.js';

/** The fields of loan events that hold money in minor units (at any depth: schedules, instalments, keptDue). */
const AMOUNT_FIELDS = new Set([
  'amount',
  'principal',
  'interest',
  'penalty',
  'base',
  'principalOutstanding',
  'interestOutstanding',
  'overdueInterest',
  'overduePenalty',
  'interestForgone',
]);

/**
 * `arrears history <loanId> [--json]`: the loan's events, one line each, oldest first, with
 * amounts as decimals in the loan's currency; `--json` gives the event log as the API does.
 */
export async function historyCommand(app: INestApplicationContext, loanId: string, options: { json?: boolean }): Promise<number> {
  if (!isClientId(loanId)) throw new UsageError(`${JSON.stringify(loanId)} is not a loan id (1-64 characters of A-Z a-z 0-9 . _ : -)`);
  const log = await app.get(EventLogReader).stream(loanStream(loanId), () => new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId}`, { loanId }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(log)}\n`);
    return 0;
  }
  const currency = log.events.map((e) => (e.data as { currency?: unknown }).currency).find((c): c is string => typeof c === 'string');
  for (const e of log.events) {
    const data = currency === undefined ? e.data : withDecimalAmounts(e.data, currency);
    process.stdout.write(`${String(e.revision).padStart(4)}  ${e.recordedAt}  ${e.type.padEnd(30)} ${(e.actor ?? '').padEnd(28)} ${JSON.stringify(data)}\n`);
  }
  return 0;
}

/** A copy of event data with every amount field written as a decimal string ("1234.56"). */
export function withDecimalAmounts(value: unknown, currency: string, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withDecimalAmounts(item, currency, key));
  if (typeof value === 'number' && key !== undefined && AMOUNT_FIELDS.has(key) && Number.isSafeInteger(value)) return formatAmount(value, currency);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDecimalAmounts(v, currency, k)]));
}
