import { Module } from '@nestjs/common';
import { LOAN_COMMAND_HANDLERS } from './commands/loan-command-handlers.js';
import { LoanCommandRunner } from './commands/loan-command-runner.js';
import { LoansController } from './http/loans.controller.js';
import { GetLoanQueryHandler } from './queries/get-loan.query.js';
import { ListBorrowerLoansQueryHandler } from '../read-models/loan-register/list-borrower-loans.query.js';
import { ListLoanPaymentsQueryHandler } from './queries/list-loan-payments.query.js';

@Module({
  controllers: [LoansController],
  providers: [LoanCommandRunner, ...LOAN_COMMAND_HANDLERS, GetLoanQueryHandler, ListBorrowerLoansQueryHandler, ListLoanPaymentsQueryHandler],
})
export class LoansModule {}
