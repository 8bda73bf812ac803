import { Test, type TestingModule } from '@nestjs/testing';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { AppConfig } from '../../src/config/app-config.js';
import { IN_MEMORY, openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { CommandContext } from '../../src/kernel/commands/command-context.js';
import { CommandPipeline } from '../../src/kernel/commands/command-pipeline.js';
import { businessClock } from '../../src/kernel/dates/business-clock.js';
import { FutureDateGuard } from '../../src/kernel/dates/future-date-guard.js';
import { DisburseLoanCommand } from '../../src/loans/commands/disburse-loan.command.js';
import { LOAN_COMMAND_HANDLERS } from '../../src/loans/commands/loan-command-handlers.js';
import { LoanCommandRunner } from '../../src/loans/commands/loan-command-runner.js';
import { OriginateLoanCommand } from '../../src/loans/commands/originate-loan.command.js';
import { ReceivePaymentCommand } from '../../src/loans/commands/receive-payment.command.js';
import { ReverseWriteOffCommand } from '../../src/loans/commands/reverse-write-off.command.js';
import { WriteOffLoanCommand } from '../../src/loans/commands/write-off-loan.command.js';
import { disburse, originate, pay } from '../fixtures/loans.js';
import { TEST_CLOCK, testConfig } from '../support/test-config.js';

const context = (commandId: string): CommandContext => ({ commandId, correlationId: 'corr-1', causationId: 'cause-1', actor: 'servicer:test' });

/**
 * Each loan command is a class of its own whose handler answers with a typed result: what
 * the controller returns is read from it with no cast of event data. Run here through a real
 * CommandBus on an in-memory SQLite event store.
 */
describe('loan command handlers', () => {
  let app: TestingModule;
  let commands: CommandBus;

  beforeEach(async () => {
    const store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
    const clock = businessClock('Asia/Shanghai', () => new Date(TEST_CLOCK));
    app = await Test.createTestingModule({
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: CommandPipeline, useValue: new CommandPipeline(store, { maxAttempts: 3 }) },
        { provide: FutureDateGuard, useValue: new FutureDateGuard(clock, 0) },
        { provide: AppConfig, useValue: testConfig() },
        LoanCommandRunner,
        ...LOAN_COMMAND_HANDLERS,
      ],
    }).compile();
    await app.init();
    commands = app.get(CommandBus);
    const { kind: _originate, ...origination } = originate({ loanId: 'L1' });
    await commands.execute(new OriginateLoanCommand(origination, context('originate'), origination));
    const { kind: _disburse, ...disbursement } = disburse();
    const { disbursed, currency } = await commands.execute(new DisburseLoanCommand('L1', disbursement, context('disburse')));
    expect(disbursed.schedule).toHaveLength(12);
    expect(currency).toBe('CNY');
  });

  afterEach(() => app.close());

  it('ReceivePaymentCommand answers with the payment received and its allocation', async () => {
    const { kind: _kind, ...payment } = pay('P1', '1100.16', '2026-02-15');
    const result = await commands.execute(new ReceivePaymentCommand('L1', payment, context('payment:P1')));
    expect(result.received.paymentId).toBe('P1');
    expect(result.received.amount).toBe(110_016);
    expect(result.received.allocation.instalments).toEqual([expect.objectContaining({ number: 1, penalty: 0, interest: 18_000, principal: 92_016 })]);
    expect(result.received.allocation.overpayment).toBe(0);
    expect(result).toMatchObject({ paidOff: false, currency: 'CNY', repeated: false });

    // A retry is answered with the first result and appends nothing.
    const again = await commands.execute(new ReceivePaymentCommand('L1', payment, context('payment:P1')));
    expect(again).toEqual({ ...result, repeated: true });
  });

  it('refuses a payment dated after today before it reaches the log', async () => {
    const { kind: _kind, ...payment } = pay('P-future', '10.00', '2030-01-02');
    await expect(commands.execute(new ReceivePaymentCommand('L1', payment, context('payment:P-future')))).rejects.toMatchObject({
      code: 'BUSINESS_DATE.IN_FUTURE',
    });
  });

  it('a correction answers with the event it recorded and the status after it', async () => {
    const { writtenOff } = await commands.execute(
      new WriteOffLoanCommand('L1', { writeOffId: 'W1', writtenOffOn: '2026-03-01', reason: 'uncollectable' }, context('write-off:W1')),
    );
    expect(writtenOff.principal).toBe(1_200_000);
    const reversed = await commands.execute(
      new ReverseWriteOffCommand('L1', { writeOffId: 'W1', reversedOn: '2026-03-02', reason: 'entered in error' }, context('write-off-reversal:W1')),
    );
    expect(reversed).toMatchObject({ recorded: 'WriteOffReversed', correction: { writeOffId: 'W1' }, status: 'active', repeated: false });
  });
});
