import { Module } from '@nestjs/common';
import { ExecuteLoanCommandHandler } from './commands/execute-loan-command.js';
import { LoansController } from './http/loans.controller.js';
import { GetLoanQueryHandler } from './queries/get-loan.query.js';
import { ListBorrowerLoansQueryHandler } from '../read-models/loan-register/list-borrower-loans.query.js';
import { ListLoanPaymentsQueryHandler } from './queries/list-loan-payments.query.js';

@Module({
  controllers: [LoansController],
  providers: [ExecuteLoanCommandHandler, GetLoanQueryHandler, ListBorrowerLoansQueryHandler, ListLoanPaymentsQueryHandler],
})
export class LoansModule {}
