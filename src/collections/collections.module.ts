import { BorrowerLoanZones } from './borrower-loan-zones.js';
import { Module } from '@nestjs/common';
import { OverdueStatusModule } from '../read-models/overdue-status/overdue-status.module.js';
import { COLLECTION_COMMAND_HANDLERS } from './commands/collection-command-handlers.js';
import { CollectionCommandRunner } from './commands/collection-command-runner.js';
import { ContactHistoryReader } from './contact-history.reader.js';
import { ContactPermissionService } from './contact-permission.service.js';
import { CollectionsController } from './collections.controller.js';
import { LoanDirectory } from './loan-directory.js';

@Module({
  imports: [OverdueStatusModule],
  controllers: [CollectionsController],
  providers: [BorrowerLoanZones, CollectionCommandRunner, ...COLLECTION_COMMAND_HANDLERS, ContactPermissionService, ContactHistoryReader, LoanDirectory],
})
export class CollectionsModule {}
