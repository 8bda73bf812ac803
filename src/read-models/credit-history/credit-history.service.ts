import { Inject, Injectable } from '@nestjs/common';
import { type YearMonth, addMonthsTo, lastDayOf, monthOf } from '../../kernel/dates/year-month.js';
import { NotFoundError } from '../../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore } from '../../kernel/event-store/event-store.port.js';
import { READ_MODEL_DB, type ReadModelDb } from '../../infrastructure/projections/contract/projection.js';
import { type LoanEvent, type LoanOriginatedData, loanStream } from '../../loans/domain/loan-events.js';
import { ProjectionsService } from '../../infrastructure/projections/projections.service.js';
import { registeredLoansOf } from '../loan-register/loan-register.queries.js';
import { lastClosedBusinessDate, reportBasisFor } from '../report-basis/close-of-business-basis.js';
import { bureauIdentityOf } from './bureau-identity.js';
import { type CreditHistory, type CreditHistoryLine, creditHistoryLine, creditHistoryOf } from './credit-history.js';
import { creditHistoryCsv } from './credit-history-csv.js';
import { type RenderedReport, type ReportFormat, rendered, reportJson } from '../report-basis/rendered-report.js';

/**
 * Credit history for a month, from the events recorded up to the close of business that
 * closed the month's last day: the same answer for that month now and later.
 */
@Injectable()
export class CreditHistoryService {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDb,
    private readonly projections: ProjectionsService,
  ) {}

  async creditHistory(borrowerId: string, asOf?: YearMonth): Promise<CreditHistory> {
    const month = asOf ?? (await this.lastMonthClosed());
    const basis = await reportBasisFor(this.events, lastDayOf(month));
    const loanIds = await this.loansOf(borrowerId, basis.lastPosition);
    const lines: CreditHistoryLine[] = [];
    const originations: LoanOriginatedData[] = [];
    for (const loanId of loanIds) {
      const stored = await this.events.readStream(loanStream(loanId));
      const history = stored.filter((e) => e.position <= basis.lastPosition).map((e) => ({ type: e.type, data: e.data }) as LoanEvent);
      for (const event of history) if (event.type === 'LoanOriginated') originations.push(event.data);
      const line = creditHistoryLine(history, month);
      if (line) lines.push(line);
    }
    return creditHistoryOf(borrowerId, bureauIdentityOf(originations), month, basis, lines);
  }

  async render(borrowerId: string, asOf: YearMonth | undefined, format: ReportFormat): Promise<RenderedReport> {
    const history = await this.creditHistory(borrowerId, asOf);
    return rendered(format === 'csv' ? creditHistoryCsv(history) : reportJson(history), format);
  }

  /** The latest month whose last day has been closed. */
  private async lastMonthClosed(): Promise<YearMonth> {
    const lastClosedOn = await lastClosedBusinessDate(this.events);
    const month = monthOf(lastClosedOn);
    return lastClosedOn === lastDayOf(month) ? month : addMonthsTo(month, -1);
  }

  private async loansOf(borrowerId: string, lastPosition: number): Promise<string[]> {
    await this.projections.ensureCaughtUp('loan-register', lastPosition);
    const rows = await registeredLoansOf(this.readModels, borrowerId);
    if (rows.length === 0) throw new NotFoundError('BORROWER.NOT_FOUND', `No loans recorded for borrower ${borrowerId}`, { borrowerId });
    return rows.map((row) => row.loan_id);
  }
}
