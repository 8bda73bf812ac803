import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { foldStream } from '../kernel/event-store/fold-stream.js';
import type { Logger } from 'pino';
import type { BusinessDate } from '../kernel/dates/business-date.js';
import type { CommandContext } from '../kernel/commands/command-context.js';
import { CommandPipeline } from '../kernel/commands/command-pipeline.js';
import { loadAggregate } from '../kernel/commands/load-aggregate.js';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { READ_MODEL_DB, type ReadModelDb } from '../infrastructure/projections/contract/projection.js';
import { loanDecider } from '../loans/domain/loan-decider.js';
import type { PaymentOnLoan } from '../collections/domain/collection-commands.js';
import { SettlePromisesCommand } from '../collections/commands/settle-promises.command.js';
import { loanStream } from '../loans/domain/loan-events.js';
import { loansWithOpenPromises } from '../read-models/collection-queue/collection-queue.queries.js';
import { LOGGER } from '../logging/logger.token.js';
import { FutureDateGuard } from '../kernel/dates/future-date-guard.js';
import { AppConfig } from '../config/app-config.js';
import { LENDING_POLICY_PRESETS } from '../policies/lending-policy.js';
import { countLoansWithWork, loansWithWork } from '../read-models/cob-work-index/cob-work-index.queries.js';
import { ProjectionsService } from '../infrastructure/projections/projections.service.js';
import { RUN_LOCK, type RunLock } from '../infrastructure/run-lock.js';
import { CobInProgressError } from './cob-in-progress.error.js';
import {
  BUSINESS_DAY_STREAM,
  type CloseOfBusinessSummary,
  assertCanClose,
  businessDayDecider,
} from './domain/business-day.js';

export interface CloseOfBusinessResult extends CloseOfBusinessSummary {
  readonly businessDate: BusinessDate;
  /** True when this date had already been closed: nothing was appended. */
  readonly alreadyClosed: boolean;
}

export type CobProgress = (done: number, total: number) => void;

/**
 * Loans read from the COB work index at a time, whose close-business-day commands are
 * appended together: one durable commit, and one batch for each projection to apply, for
 * them all. Each command is idempotent, so a crash before the commit only means running the
 * close again. A million-loan day makes 100 commits of ~930 events (was 400 of 250 loans).
 */
const LOANS_PER_COMMIT = 1000;
/** Loans decided between two turns of the event loop: a few tens of milliseconds of work. */
const LOANS_PER_TURN = 50;
const ACTOR = 'system:close-of-business';

/**
 * Close of business for a date: every loan the COB work index says has something due or
 * overdue gets a close-business-day command (idempotent per loan and date), then the date
 * is recorded as closed. A run that stopped half-way is completed by running it again.
 */
@Injectable()
export class CloseOfBusinessService {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDb,
    private readonly pipeline: CommandPipeline,
    private readonly commands: CommandBus,
    private readonly projections: ProjectionsService,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly dates: FutureDateGuard,
    private readonly config: AppConfig,
    @Inject(RUN_LOCK) private readonly runLock: RunLock,
  ) {}

  async lastClosedOn(): Promise<BusinessDate | undefined> {
    const history = await this.events.readStream(BUSINESS_DAY_STREAM);
    return foldStream(businessDayDecider, history).lastClosedOn;
  }

  /**
   * One process at a time among those sharing the store, engines and the CLI alike (RunLock:
   * PostgreSQL's advisory lock, or SQLite's write lock on a file beside the event log, either
   * released when the run ends or its process dies): a second caller is refused at once with
   * COB.IN_PROGRESS naming the holder, rather than kept waiting for a run of unknown length.
   */
  async run(businessDate: BusinessDate, actor = ACTOR, onProgress?: CobProgress): Promise<CloseOfBusinessResult> {
    const run = await this.runLock.whileHolding('close-of-business', `close of business ${businessDate}`, () => this.runHolding(businessDate, actor, onProgress));
    if (!run.ran) throw new CobInProgressError(run.heldBy);
    return run.result;
  }

  private async runHolding(businessDate: BusinessDate, actor: string, onProgress?: CobProgress): Promise<CloseOfBusinessResult> {
    // A day closed cannot be reopened: closing one that has not ended would post its penalty
    // early and refuse every real day before it, for good.
    this.dates.refuseFutureDate('businessDate', businessDate);
    const lastClosedOn = await this.lastClosedOn();
    assertCanClose({ lastClosedOn }, businessDate);
    const empty = { loansVisited: 0, eventsAppended: 0, instalmentsMissed: 0, penaltyAccruals: 0, delinquencyThresholds: 0, promisesKept: 0, promisesBroken: 0 };
    if (lastClosedOn === businessDate) return { businessDate, alreadyClosed: true, ...empty };

    const head = await this.events.headPosition();
    await this.projections.ensureCaughtUp('cob-work-index', head);
    await this.projections.ensureCaughtUp('collection-queue', head);
    const total = await countLoansWithWork(this.readModels, businessDate);
    this.logger.info({ businessDate, loans: total }, 'close of business started');
    const summary = { ...empty };
    const closeLoans = (loanIds: readonly string[]) =>
      loanIds.map((loanId) => ({
        stream: loanStream(loanId),
        command: { kind: 'close-business-day', businessDate } as const,
        context: this.context(`cob:${businessDate}:${loanId}`, businessDate, actor),
      }));
    let loanIds = await loansWithWork(this.readModels, businessDate, '', LOANS_PER_COMMIT);
    let commands = closeLoans(loanIds);
    // Each page is named to the store before it is decided, the next one while this one is:
    // a store that can (the embedded one) reads their loans ahead meanwhile, rather than each
    // load waiting for the disk in turn on this thread.
    this.pipeline.readAhead(loanDecider, commands);
    while (commands.length > 0) {
      const nextLoanIds = await loansWithWork(this.readModels, businessDate, loanIds.at(-1)!, LOANS_PER_COMMIT);
      const nextCommands = closeLoans(nextLoanIds);
      this.pipeline.readAhead(loanDecider, nextCommands);
      for (const outcome of await this.pipeline.runBatch(loanDecider, commands, { yieldEvery: LOANS_PER_TURN })) {
        summary.loansVisited++;
        if (outcome.repeated) continue;
        summary.eventsAppended += outcome.events.length;
        for (const event of outcome.events) {
          if (event.type === 'InstalmentMissed') summary.instalmentsMissed++;
          if (event.type === 'PenaltyAccrued') summary.penaltyAccruals++;
          if (event.type === 'DelinquencyThresholdReached') summary.delinquencyThresholds++;
        }
      }
      onProgress?.(summary.loansVisited, total);
      // The embedded store answers synchronously: without a turn of the event loop now
      // and then, a long COB would hold up HTTP requests, projections and signals.
      await yieldToEventLoop();
      [loanIds, commands] = [nextLoanIds, nextCommands];
    }
    await this.settlePromises(businessDate, actor, summary);
    const { name, costCapAnnualRate } = LENDING_POLICY_PRESETS[this.config.LENDING_POLICY];
    await this.pipeline.run(
      businessDayDecider,
      BUSINESS_DAY_STREAM,
      { businessDate, summary, lendingPolicy: { name, costCapAnnualRate } },
      this.context(`cob:${businessDate}`, businessDate, actor),
    );
    this.logger.info({ businessDate, ...summary }, 'close of business completed');
    return { businessDate, alreadyClosed: false, ...summary };
  }

  /** Each borrower with an open promise to pay: kept if the loan's payments covered it, broken once its due date passed. */
  private async settlePromises(businessDate: BusinessDate, actor: string, summary: { eventsAppended: number; promisesKept: number; promisesBroken: number }) {
    for (const [borrowerId, loanIds] of await loansWithOpenPromises(this.readModels)) {
      const payments = (await Promise.all([...loanIds].map((loanId) => this.paymentsOn(loanId)))).flat();
      const settled = await this.commands.execute(
        new SettlePromisesCommand(borrowerId, { businessDate, payments }, this.context(`cob:${businessDate}:promises:${borrowerId}`, businessDate, actor)),
      );
      if (settled.repeated) continue;
      summary.eventsAppended += settled.eventsRecorded;
      summary.promisesKept += settled.kept.length;
      summary.promisesBroken += settled.broken.length;
    }
  }

  private async paymentsOn(loanId: string): Promise<PaymentOnLoan[]> {
    const { state } = await loadAggregate(this.events, loanDecider, loanStream(loanId));
    return [...state.payments.values()].map((p) => ({ loanId, receivedOn: p.receivedOn, amount: p.amount, reversed: p.reversed }));
  }

  private context(commandId: string, businessDate: BusinessDate, actor: string): CommandContext {
    return { commandId, correlationId: `cob:${businessDate}`, causationId: `cob:${businessDate}`, actor };
  }
}
