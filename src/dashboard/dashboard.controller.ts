import { type BeforeApplicationShutdown, Controller, Get, Inject, type MessageEvent, Param, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { EventBus, ofType } from '@nestjs/cqrs';
import { type Observable, Subject, distinctUntilChanged, interval, map, merge, takeUntil, throttleTime } from 'rxjs';
import { Roles } from '../auth/access.decorators.js';
import { READERS } from '../auth/roles.js';
import { NotFoundError } from '../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { EventsAppended } from '../kernel/event-store/events-appended.js';
import { formatAmount } from '../kernel/money/amount.js';
import { loanStream } from '../loans/domain/loan-events.js';
import { LoanIdParams } from '../http/loan-route-params.dto.js';
import { ProjectionsService } from '../infrastructure/projections/projections.service.js';
import { DashboardService } from './dashboard.service.js';
import { liveCheckpoints } from './live-checkpoints.js';
import { loanTimeline } from './loan-timeline.js';
import { GradeOutcomeDto, OverdueHistoryPointDto, PortfolioHistoryDto, TimelineEntryDto } from './dashboard.dto.js';

/** How often the live stream looks at the projections' checkpoints while they lag the appends it was told of. */
const LIVE_POLL_MS = 250;
/**
 * At most one `projections` event a second (the first at once, the last never dropped): a
 * busy engine advances all the time, and each event makes every open page refresh its queries.
 */
const LIVE_EVENT_INTERVAL_MS = 1_000;
/** A `keep-alive` event now and then keeps proxies from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;

@ApiTags('dashboard')
@Roles(...READERS)
@Controller('dashboard')
export class DashboardController implements BeforeApplicationShutdown {
  /** Ends every live stream when the engine stops: an open stream would hold the server's close until the shutdown timeout. */
  private readonly stopping = new Subject<void>();

  constructor(
    private readonly dashboard: DashboardService,
    private readonly projections: ProjectionsService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly eventBus: EventBus,
  ) {}

  @Get('portfolio-history')
  @ApiOkResponse({ type: PortfolioHistoryDto, description: 'The portfolio after each close of business, per currency' })
  async portfolioHistory(): Promise<PortfolioHistoryDto> {
    const history = (await this.dashboard.portfolio()).history();
    return {
      currencies: history.map(({ currency, points }) => ({
        currency,
        points: points.map((point) => ({ ...point, outstandingPrincipal: formatAmount(point.outstandingPrincipal, currency) })),
      })),
    };
  }

  @Get('grades')
  @ApiOkResponse({ type: [GradeOutcomeDto], description: 'Delinquency by credit grade at origination' })
  async grades(): Promise<GradeOutcomeDto[]> {
    return (await this.dashboard.portfolio()).byGrade();
  }

  @Get('roll-rates')
  @ApiOkResponse({ description: "The regulator report's roll rates at the last close of business" })
  rollRates() {
    return this.dashboard.lastRollRates();
  }

  @Get('loans/:loanId/overdue-history')
  @ApiOkResponse({ type: [OverdueHistoryPointDto] })
  overdueHistory(@Param() { loanId }: LoanIdParams): Promise<OverdueHistoryPointDto[]> {
    return this.dashboard.overdueHistory(loanId);
  }

  @Get('loans/:loanId/timeline')
  @ApiOkResponse({ type: [TimelineEntryDto], description: "The loan's events, without the borrower's personal data" })
  async timeline(@Param() { loanId }: LoanIdParams): Promise<TimelineEntryDto[]> {
    const events = await this.events.readStream(loanStream(loanId));
    if (events.length === 0) throw new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId}`, { loanId });
    return loanTimeline(events);
  }

  /**
   * Server-sent events: `projections` with every projection's checkpoint whenever one
   * advances (and once on connecting), so the page refreshes what it shows without a
   * reload. Woken by EventsAppended on the event bus rather than a timer: a quiet engine
   * reads nothing. Read with fetch, which can send the Authorization header EventSource cannot.
   */
  @Sse('live')
  @ApiProduces('text/event-stream')
  live(): Observable<MessageEvent> {
    const appended = this.eventBus.pipe(ofType(EventsAppended));
    const checkpoints = liveCheckpoints(() => this.projections.reports(), appended, LIVE_POLL_MS).pipe(
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      throttleTime(LIVE_EVENT_INTERVAL_MS, undefined, { leading: true, trailing: true }),
      map((checkpoint): MessageEvent => ({ type: 'projections', data: { checkpoints: checkpoint } })),
    );
    const keepAlive = interval(KEEP_ALIVE_MS).pipe(map((): MessageEvent => ({ type: 'keep-alive', data: {} })));
    return merge(checkpoints, keepAlive).pipe(takeUntil(this.stopping));
  }

  beforeApplicationShutdown(): void {
    this.stopping.next();
    this.stopping.complete();
  }
}
