import { Inject, Injectable } from '@nestjs/common';
import { type CompiledQuery, sql } from 'kysely';
import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { unpaidSinceBounds } from '../../loans/domain/standing/loan-standing.js';
import { decodeCursor, encodeCursor } from '../../http/page-cursor.js';
import { NotFoundError } from '../../kernel/errors/domain-error.js';
import { formatAmount } from '../../kernel/money/amount.js';
import { READ_MODEL_DB, type ReadModelDb } from '../../infrastructure/projections/contract/projection.js';
import { DELINQUENCY_BUCKETS, daysPastDueRangeOf } from '../../loans/domain/standing/delinquency-bucket.js';
import { FIVE_CATEGORY_CLASSES, daysPastDueRangeOfClass } from '../../loans/domain/standing/risk-classification.js';
import { OVERDUE_AS_OF_TABLE, OVERDUE_STATUS_PROJECTION, OVERDUE_STATUS_TABLE } from './overdue-status.projection.js';
import type { OverdueStatusRow } from './overdue-status.fold.js';
import type { CurrencySummaryDto, OverdueListDto, OverdueListQueryDto, OverdueStatusDto, OverdueSummaryDto } from './overdue-status.dto.js';
import { toOverdueStatus } from './to-overdue-status.js';
import { compiledCheckpointRead } from '../../infrastructure/projections/runner/checkpoint-table.js';
import { compiledRead } from '../../infrastructure/projections/contract/compiled-read.js';
import { stageTimer } from '../../http/stage-timing.js';

const DEFAULT_PAGE_SIZE = 50;
/** The last closed business date, selected beside a loan's row (no column of the table has this name). */
const AS_OF_COLUMN = 'as_of_business_date';
/** Loans whose last answer is kept (a few MB at most). */
const COMPOSED_KEPT = 10_000;

/** Stands for the loan id while the one-loan queries are compiled; no loan id can hold a NUL. */
const LOAN_ID_PLACEHOLDER = '\u0000loan-id\u0000';

/** A one-loan query compiled once, run with the loan id in the placeholder's place. */
function forOneLoan<R>(db: ReadModelDb, compiled: CompiledQuery<R>): (loanId: string) => Promise<R[]> {
  const read = compiledRead(db, compiled);
  return (loanId) => read(compiled.parameters.map((parameter) => (parameter === LOAN_ID_PLACEHOLDER ? loanId : parameter)));
}

/**
 * Reads the overdue-status projection. Days past due are counted from the oldest unpaid
 * due date against the last closed business date, so a DPD range is a range of due dates
 * (unpaidSinceBounds, beside the DPD rule) and DPD descending is unpaid-since ascending.
 */
@Injectable()
export class OverdueStatusReader {
  private lastSummary: { readonly key: string; readonly summary: OverdueSummaryDto } | undefined;
  /**
   * The last answer per loan read, with when its row last changed and the date it was
   * counted against (keep); the longest unchanged go first.
   */
  private readonly composed = new Map<string, { readonly changedAt: number; readonly asOf: BusinessDate | null; readonly status: OverdueStatusDto }>();

  /**
   * The loan's row with the last closed business date, and the same without the row (when
   * it last changed, and the date): built and compiled once each, as Kysely's building and
   * compiling of them on every read cost about as much CPU as SQLite's running them.
   */
  private readonly oneLoan: (loanId: string) => Promise<Record<string, unknown>[]>;
  private readonly oneLoanChange: (loanId: string) => Promise<Array<{ changed_at: number | string; [AS_OF_COLUMN]: BusinessDate | null }>>;
  /** The projection's checkpoint, compiled once: the summary asks for it on every request. */
  private readonly checkpoint: ReturnType<typeof compiledCheckpointRead>;

  constructor(@Inject(READ_MODEL_DB) private readonly readModels: ReadModelDb) {
    const withAsOf = readModels
      .selectFrom(OVERDUE_STATUS_TABLE)
      .select((eb) => eb.selectFrom(OVERDUE_AS_OF_TABLE).select('business_date').where('id', '=', 1).as(AS_OF_COLUMN))
      .where('loan_id', '=', LOAN_ID_PLACEHOLDER);
    this.oneLoan = forOneLoan(readModels, withAsOf.selectAll(OVERDUE_STATUS_TABLE).compile());
    this.oneLoanChange = forOneLoan(readModels, withAsOf.select('changed_at').compile());
    this.checkpoint = compiledCheckpointRead(readModels, OVERDUE_STATUS_PROJECTION);
  }

  async asOf(): Promise<BusinessDate | null> {
    const row = await this.readModels.selectFrom(OVERDUE_AS_OF_TABLE).select('business_date').where('id', '=', 1).executeTakeFirst();
    return (row?.business_date as string | undefined) ?? null;
  }

  /** The time zones of a borrower's loans: where the borrower may be, as far as the loans say. */
  async borrowerTimeZones(borrowerId: string): Promise<string[]> {
    const rows = await this.readModels.selectFrom(OVERDUE_STATUS_TABLE).select('borrower_time_zone').distinct().where('borrower_id', '=', borrowerId).execute();
    return rows.map((row) => row.borrower_time_zone as string).sort();
  }

  /**
   * The loan's row and the last closed business date in one statement: one round trip, and
   * both from the same commit. A loan is read far more often than its row changes, and
   * parsing its schedule and payments and working out its standing is most of a read's
   * work: the answer is kept per loan, and given again while the row's changed_at and the
   * date are the same (the answer is a pure function of the two), after reading only those.
   */
  async forLoan(loanId: string): Promise<OverdueStatusDto> {
    const since = stageTimer.now();
    const kept = this.composed.get(loanId);
    if (kept) {
      const [change] = await this.oneLoanChange(loanId);
      if (change && Number(change.changed_at) === kept.changedAt && (change[AS_OF_COLUMN] ?? null) === kept.asOf) {
        if (stageTimer.enabled) stageTimer.add('read', since);
        return kept.status;
      }
    }
    const [row] = await this.oneLoan(loanId);
    // Run precompiled, the read-timing plugin sees no compiling: the read is timed here.
    if (stageTimer.enabled) stageTimer.add('read', since);
    if (!row) throw new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId}`);
    const { [AS_OF_COLUMN]: asOf, ...columns } = row;
    return this.keep(columns as unknown as OverdueStatusRow & { changed_at: number | string }, (asOf as BusinessDate | null | undefined) ?? null);
  }

  /** The answer for a row just read, kept in place of the loan's last. */
  private keep(row: OverdueStatusRow & { changed_at: number | string }, asOf: BusinessDate | null): OverdueStatusDto {
    const status = toOverdueStatus(row, asOf);
    if (this.composed.has(row.loan_id)) this.composed.delete(row.loan_id);
    else if (this.composed.size >= COMPOSED_KEPT) this.composed.delete(this.composed.keys().next().value!);
    this.composed.set(row.loan_id, { changedAt: Number(row.changed_at), asOf, status });
    return status;
  }

  async list(filter: OverdueListQueryDto): Promise<OverdueListDto> {
    const asOf = await this.asOf();
    const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
    // A restructured loan in its observation period is special mention even at DPD 0, and so never normal.
    const observed = filter.classification === 'special-mention';
    const range = dpdRange(observed ? { ...filter, classification: undefined, minDpd: filter.minDpd ?? 0, maxDpd: Math.min(filter.maxDpd ?? 90, 90) } : filter);
    if (range.min > (range.max ?? Infinity) || (asOf === null && range.min > 0)) return { asOf, items: [], nextCursor: null };
    let query = activeLoansInDpdRange(this.readModels, range, asOf);
    if (filter.classification === 'normal') query = query.where('in_restructuring_observation', '=', 0);
    if (observed) {
      query = query.where((eb) =>
        asOf === null
          ? eb('in_restructuring_observation', '=', 1)
          : eb.or([eb('unpaid_since', '<=', unpaidSinceBounds({ min: 1, max: undefined }, asOf).latest!), eb('in_restructuring_observation', '=', 1)]),
      );
    }
    if (filter.cursor) {
      const [since, loanId] = decodeCursor(filter.cursor, 2) as [string, string];
      query = query.where((eb) => eb.or([eb('unpaid_since', '>', since), eb.and([eb('unpaid_since', '=', since), eb('loan_id', '>', loanId)])]));
    }
    const rows = (await query.orderBy('unpaid_since').orderBy('loan_id').limit(limit + 1).execute()) as OverdueStatusRow[];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      asOf,
      items: page.map((row) => toOverdueStatus(row, asOf)),
      nextCursor: rows.length > limit && last ? encodeCursor([last.unpaid_since, last.loan_id]) : null,
    };
  }

  /**
   * The summary groups every loan, and it changes only when the projection moves: it is
   * worked out once per checkpoint. Rows are committed with their checkpoint, so rows read
   * after the checkpoint are at least that fresh.
   */
  async summary(): Promise<OverdueSummaryDto> {
    const checkpoint = await this.checkpoint();
    const key = checkpoint ? `${checkpoint.version}@${checkpoint.position}` : 'none';
    if (this.lastSummary?.key === key) return this.lastSummary.summary;
    const summary = await this.computeSummary();
    this.lastSummary = { key, summary };
    return summary;
  }

  private async computeSummary(): Promise<OverdueSummaryDto> {
    const asOf = await this.asOf();
    const byBucket = await this.groupBy(
      DELINQUENCY_BUCKETS.map((bucket) => ({ key: bucket, ...daysPastDueRangeOf(bucket) })),
      asOf,
    );
    const byClass = await this.groupBy(
      FIVE_CATEGORY_CLASSES.map((klass) => ({ key: klass, ...daysPastDueRangeOfClass(klass) })),
      asOf,
      'special-mention',
    );
    const currencies = [...new Set([...byBucket.keys(), ...byClass.keys()])].sort();
    return {
      asOf,
      currencies: currencies.map(
        (currency): CurrencySummaryDto => ({
          currency,
          byBucket: DELINQUENCY_BUCKETS.map((key) => slice(byBucket, currency, key)),
          byClassification: FIVE_CATEGORY_CLASSES.map((key) => slice(byClass, currency, key)),
        }),
      ),
    };
  }

  /** Active loans counted per currency into DPD bands, with their outstanding principal. */
  private async groupBy(
    bands: { key: string; min: number; max: number | undefined }[],
    asOf: BusinessDate | null,
    /** Where a current loan under restructuring observation is counted instead of the first band. */
    observationKey?: string,
  ): Promise<Map<string, Map<string, { loans: number; principal: number }>>> {
    // Bands come in ascending DPD, so the first whose upper bound holds is the band. Before any COB everything is in the first.
    const current = asOf === null ? sql`1 = 1` : sql`unpaid_since >= ${unpaidSinceBounds({ min: 0, max: 0 }, asOf).earliest!}`;
    const whens = [
      ...(observationKey ? [sql`when in_restructuring_observation = 1 and ${current} then ${observationKey}`] : []),
      ...(asOf === null
        ? []
        : bands.filter((b) => b.max !== undefined).map((b) => sql`when unpaid_since >= ${unpaidSinceBounds(b, asOf).earliest!} then ${b.key}`)),
    ];
    const otherwise = asOf === null ? bands[0]!.key : bands.at(-1)!.key;
    // A CASE needs at least one WHEN: before any COB, without observation, every loan is in the first band.
    const band = whens.length === 0 ? sql<string>`${sql.lit(otherwise)}` : sql<string>`case ${sql.join(whens, sql` `)} else ${otherwise} end`;
    const rows = await this.readModels
      .selectFrom(OVERDUE_STATUS_TABLE)
      .select((eb) => ['currency', band.as('band'), eb.fn.countAll().as('loans'), eb.fn.sum('principal_outstanding').as('principal')])
      .where('status', '=', 'active')
      .groupBy(['currency', 'band'])
      .execute();
    const result = new Map<string, Map<string, { loans: number; principal: number }>>();
    for (const row of rows) {
      const currency = row.currency as string;
      if (!result.has(currency)) result.set(currency, new Map());
      result.get(currency)!.set(row.band as string, { loans: Number(row.loans), principal: Number(row.principal) });
    }
    return result;
  }
}

function slice(groups: Map<string, Map<string, { loans: number; principal: number }>>, currency: string, key: string) {
  const found = groups.get(currency)?.get(key) ?? { loans: 0, principal: 0 };
  return { key, loans: found.loans, outstandingPrincipal: formatAmount(found.principal, currency) };
}

/** The loan id column of the rows activeLoansInDpdRange selects, for a query that joins them to a loan's other rows. */
export const OVERDUE_LOAN_ID = `${OVERDUE_STATUS_TABLE}.loan_id` as const;

/**
 * Active loans whose days past due on `asOf` lie in the range, as a query to refine.
 * The caller has checked the range is not empty and, before any COB, includes 0.
 */
export function activeLoansInDpdRange(db: ReadModelDb, range: { min: number; max: number | undefined }, asOf: BusinessDate | null) {
  let query = db.selectFrom(OVERDUE_STATUS_TABLE).selectAll().where('status', '=', 'active');
  if (asOf === null) return query;
  const { earliest, latest } = unpaidSinceBounds(range, asOf);
  if (latest !== undefined) query = query.where('unpaid_since', '<=', latest);
  if (earliest !== undefined) query = query.where('unpaid_since', '>=', earliest);
  return query;
}

/** The DPD range all given filters allow; without any, the overdue loans (DPD ≥ 1). */
export function dpdRange(filter: Pick<OverdueListQueryDto, 'bucket' | 'classification' | 'minDpd' | 'maxDpd'>): { min: number; max: number | undefined } {
  const ranges = [
    filter.bucket && daysPastDueRangeOf(filter.bucket),
    filter.classification && daysPastDueRangeOfClass(filter.classification),
    { min: filter.minDpd ?? 0, max: filter.maxDpd },
  ].filter((r): r is { min: number; max: number | undefined } => Boolean(r));
  const min = Math.max(...ranges.map((r) => r.min));
  const maxes = ranges.map((r) => r.max).filter((m): m is number => m !== undefined);
  const explicitlyIncludesCurrent = filter.bucket === 'C' || filter.classification === 'normal' || filter.minDpd === 0;
  return { min: explicitlyIncludesCurrent ? min : Math.max(min, 1), max: maxes.length > 0 ? Math.min(...maxes) : undefined };
}
