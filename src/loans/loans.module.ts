import { Module } from '@nestjs/common';
import { ExecuteLoanCommandHandler } from './commands/execute-loan-command.js';
import { LoansController } from './http/loans.controller.js';
import { GetLoanQueryHandler } from './queries/get-loan.query.js';
import { ListBorrowerLoansQueryHandler } from './queries/list-borrower-loans.query.js';

@Module({
  controllers: [LoansController],
  providers: [ExecuteLoanCommandHandler, GetLoanQueryHandler, ListBorrowerLoansQueryHandler],
})
export class LoansModule {}
