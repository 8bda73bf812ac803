import { BorrowerLoanZones } from './borrower-loan-zones.js';
import { Module } from '@nestjs/common';
import { OverdueStatusModule } from '../read-models/overdue-status/overdue-status.module.js';
import { ExecuteCollectionCommandHandler } from './commands/execute-collection-command.js';
import { ContactHistoryReader } from './contact-history.reader.js';
import { ContactPermissionService } from './contact-permission.service.js';
import { CollectionsController } from './collections.controller.js';
import { LoanDirectory } from './loan-directory.js';

@Module({
  imports: [OverdueStatusModule],
  controllers: [CollectionsController],
  providers: [BorrowerLoanZones, ExecuteCollectionCommandHandler, ContactPermissionService, ContactHistoryReader, LoanDirectory],
})
export class CollectionsModule {}
