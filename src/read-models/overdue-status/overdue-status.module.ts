import { Module } from '@nestjs/common';
import { OverdueStatusController } from './overdue-status.controller.js';
import { OverdueStatusReader } from './overdue-status.reader.js';
import { OverdueStatusAsOfReader } from './overdue-status-as-of.reader.js';
import { GetOverdueStatusQueryHandler } from './get-overdue-status.query.js';
import { ListOverdueLoansQueryHandler } from './list-overdue-loans.query.js';
import { OverdueSummaryQueryHandler } from './overdue-summary.query.js';

@Module({ controllers: [OverdueStatusController], providers: [OverdueStatusReader, OverdueStatusAsOfReader, GetOverdueStatusQueryHandler, ListOverdueLoansQueryHandler, OverdueSummaryQueryHandler], exports: [OverdueStatusReader] })
export class OverdueStatusModule {}
