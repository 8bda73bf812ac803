import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../../http/page-cursor.js';
import { BUSINESS_CLOCK, type BusinessClock } from '../../kernel/dates/business-clock.js';
import { formatAmount } from '../../kernel/money/amount.js';
import { READ_MODEL_DB, type ReadModelDb } from '../../infrastructure/projections/contract/projection.js';
import { OVERDUE_LOAN_ID, activeLoansInDpdRange, dpdRange, OverdueStatusReader } from '../overdue-status/overdue-status.reader.js';
import { toOverdueStatus } from '../overdue-status/to-overdue-status.js';
import { COLLECTION_BORROWERS_TABLE, COLLECTION_PROMISES_TABLE } from './collection-queue.projection.js';
import type { OverdueStatusRow } from '../overdue-status/overdue-status.fold.js';
import { ConductPolicies } from '../../config/conduct-policy.provider.js';
import type { ContactRestriction } from '../../collections/domain/contact-record.js';
import { type BorrowerTimeZone, borrowerTimeZonesAt } from '../../collections/domain/borrower-time-zones.js';
import type { QueuedContact } from './collection-queue.projection.js';
import { nextAllowedAt } from '../../collections/domain/judge-contact.js';
import type { CollectionQueueDto, CollectionQueueItemDto, CollectionQueueQueryDto } from './collection-queue.dto.js';

const DEFAULT_PAGE_SIZE = 50;
const WEEK_MS = 7 * 86_400_000;

type QueueRow = OverdueStatusRow & { broken: number };

/**
 * The collection queue: overdue loans, a broken promise first, then days past due
 * descending, each with what a collector needs before the next contact.
 */
@Injectable()
export class CollectionQueueReader {
  constructor(
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDb,
    private readonly overdue: OverdueStatusReader,
    private readonly policies: ConductPolicies,
    @Inject(BUSINESS_CLOCK) private readonly clock: BusinessClock,
  ) {}

  async page(query: CollectionQueueQueryDto): Promise<CollectionQueueDto> {
    const asOf = await this.overdue.asOf();
    const range = dpdRange({ bucket: query.bucket });
    if (asOf === null || (range.max !== undefined && range.min > range.max)) return { asOf, items: [], nextCursor: null };
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const prioritised = activeLoansInDpdRange(this.readModels, range, asOf).select((eb) =>
      eb
        .case()
        .when(eb.exists(eb.selectFrom(COLLECTION_PROMISES_TABLE).select('promise_id').whereRef('loan_id', '=', OVERDUE_LOAN_ID).where('status', '=', 'broken')))
        .then(1)
        .else(0)
        .end()
        .as('broken'),
    );
    let rows = this.readModels.selectFrom(prioritised.as('q')).selectAll();
    if (query.cursor) {
      const [broken, since, loanId] = decodeCursor(query.cursor, 3) as [number, string, string];
      rows = rows.where((eb) =>
        eb.or([
          eb('broken', '<', broken),
          eb.and([eb('broken', '=', broken), eb.or([eb('unpaid_since', '>', since), eb.and([eb('unpaid_since', '=', since), eb('loan_id', '>', loanId)])])]),
        ]),
      );
    }
    const found = (await rows.orderBy('broken', 'desc').orderBy('unpaid_since').orderBy('loan_id').limit(limit + 1).execute()) as QueueRow[];
    const pageRows = found.slice(0, limit);
    const at = query.at ?? this.clock.now().toISOString();
    const items = await Promise.all(pageRows.map((row) => this.item(row, asOf, at)));
    const last = pageRows.at(-1);
    return { asOf, items, nextCursor: found.length > limit && last ? encodeCursor([Number(last.broken), last.unpaid_since, last.loan_id]) : null };
  }

  private async item(row: QueueRow, asOf: string, at: string): Promise<CollectionQueueItemDto> {
    const status = toOverdueStatus(row, asOf);
    const borrower = await this.readModels.selectFrom(COLLECTION_BORROWERS_TABLE).selectAll().where('borrower_id', '=', row.borrower_id).executeTakeFirst();
    const contacts: QueuedContact[] = borrower ? JSON.parse(borrower.recent_contacts) : [];
    const restrictions = borrower ? restrictionsOfRow(borrower.restrictions) : [];
    const ownZones: BorrowerTimeZone[] = borrower ? JSON.parse(borrower.time_zones) : [];
    const timeZones = borrowerTimeZonesAt(ownZones, at, [row.borrower_time_zone, ...(await this.overdue.borrowerTimeZones(row.borrower_id))], contacts);
    const record = contacts.map((c) => ({ ...c, timeZones: c.timeZones ?? timeZones }));
    const aboutLoan = contacts.filter((c) => c.loanId === row.loan_id && Date.parse(c.at) <= Date.parse(at));
    const lastContact = aboutLoan.at(-1);
    const promise = await this.readModels
      .selectFrom(COLLECTION_PROMISES_TABLE)
      .select(['amount', 'currency', 'due_on'])
      .where('loan_id', '=', row.loan_id)
      .where('status', '=', 'open')
      .orderBy('due_on')
      .executeTakeFirst();
    const context = { policy: this.policies.forCurrency(row.currency), restrictions };
    return {
      loanId: row.loan_id,
      borrowerId: row.borrower_id,
      daysPastDue: status.daysPastDue,
      bucket: status.bucket,
      amountDue: status.overdue.total,
      brokenPromise: Number(row.broken) === 1,
      openPromise: promise ? { amount: formatAmount(Number(promise.amount), promise.currency as string), dueOn: promise.due_on as string } : null,
      lastContact: lastContact ? { at: lastContact.at, channel: lastContact.channel, outcome: lastContact.outcome } : null,
      contactsLast7Days: aboutLoan.filter((c) => Date.parse(at) - Date.parse(c.at) < WEEK_MS).length,
      nextAllowedContactAt: nextAllowedAt({ loanId: row.loan_id, at, channel: 'phone', party: 'borrower' }, timeZones, record, context) ?? null,
      restrictions: restrictions.map((r) => ({ kind: r.kind, channel: r.channel ?? null, requestedAt: r.requestedAt, effectiveAt: r.requestedAt })),
    };
  }
}

/**
 * The stop requests of a borrower row. Rows written before restrictions carried requestedAt
 * hold `effectiveAt`, the instant from which such a restriction was honoured: its requestedAt.
 */
function restrictionsOfRow(json: string): ContactRestriction[] {
  const rows: (Omit<ContactRestriction, 'requestedAt'> & { requestedAt?: string; effectiveAt?: string })[] = JSON.parse(json);
  return rows.map(({ effectiveAt, requestedAt, ...rest }) => ({ ...rest, requestedAt: (requestedAt ?? effectiveAt)! }));
}
