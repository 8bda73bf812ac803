import { Inject, Injectable } from '@nestjs/common';
import type { BusinessDate } from '../kernel/dates/business-date.js';
import { NotFoundError } from '../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore, START_OF_LOG } from '../kernel/event-store/event-store.port.js';
import { loanStream } from '../loans/domain/loan-events.js';
import { type OverdueLoan, foldOverdueLoan } from '../read-models/overdue-status/overdue-status.fold.js';
import type { RegulatoryReport } from '../read-models/regulatory-report/regulatory-report.js';
import { RegulatoryReportService } from '../read-models/regulatory-report/regulatory-report.service.js';
import { PortfolioHistory, standingOfRow } from './portfolio-history.js';

const PAGE_SIZE = 5_000;

/** A loan's standing at each close of business since it was disbursed. */
export interface OverdueHistoryPoint {
  readonly businessDate: BusinessDate;
  readonly status: string;
  readonly daysPastDue: number;
  readonly bucket: string;
}

/**
 * What the operator dashboard shows beyond the projections' own queries: the portfolio
 * after every close of business, outcomes by credit grade, last month's roll rates, and a
 * loan's overdue history. The portfolio history is folded in memory from the log, picking
 * up where it left off on each request (after a restart, it reads the log once).
 */
@Injectable()
export class DashboardService {
  private readonly history = new PortfolioHistory();
  private position = START_OF_LOG;
  private catchingUp: Promise<void> | undefined;
  private rollRates: { asOf: BusinessDate; report: RegulatoryReport } | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly regulatoryReports: RegulatoryReportService,
  ) {}

  async portfolio(): Promise<PortfolioHistory> {
    // Requests arriving together share one read of what was appended since the last.
    this.catchingUp ??= this.readAppended().finally(() => (this.catchingUp = undefined));
    await this.catchingUp;
    return this.history;
  }

  /** The regulator report's roll rates at the last close of business: bucket at the previous month end to now. Reports of a closed date never change, so the last is kept. */
  async lastRollRates(): Promise<{ asOf: BusinessDate; currencies: { currency: string; rollRates: RegulatoryReport['currencies'][number]['rollRates'] }[] }> {
    const asOf = await this.regulatoryReports.lastClosedOn();
    if (this.rollRates?.asOf !== asOf) this.rollRates = { asOf, report: await this.regulatoryReports.report(asOf) };
    return { asOf, currencies: this.rollRates.report.currencies.map(({ currency, rollRates }) => ({ currency, rollRates })) };
  }

  async overdueHistory(loanId: string): Promise<OverdueHistoryPoint[]> {
    const events = await this.events.readStream(loanStream(loanId));
    if (events.length === 0) throw new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId}`, { loanId });
    const closes = (await this.portfolio()).closesOfBusiness();
    const points: OverdueHistoryPoint[] = [];
    let row: OverdueLoan | undefined;
    let next = 0;
    for (const close of closes) {
      while (next < events.length && events[next]!.position < close.position) row = foldOverdueLoan(row, events[next++]!);
      if (!row || row.status === 'approved' || row.status === 'cancelled') continue;
      const { daysPastDue, bucket } = standingOfRow(row, close.businessDate);
      points.push({ businessDate: close.businessDate, status: row.status, daysPastDue, bucket });
    }
    return points;
  }

  private async readAppended(): Promise<void> {
    for (;;) {
      const page = await this.events.readAll(this.position, PAGE_SIZE);
      for (const event of page) this.history.apply(event);
      if (page.length === 0) return;
      this.position = page.at(-1)!.position;
      if (page.length < PAGE_SIZE) return;
    }
  }
}
