import { BorrowerLoanZones } from './borrower-loan-zones.js';
import { Module } from '@nestjs/common';
import { OverdueStatusModule } from '../overdue-status/overdue-status.module.js';
import { CollectionQueueReader } from './collection-queue.reader.js';
import { CollectionQueueController } from './http/collection-queue.controller.js';
import { ExecuteCollectionCommandHandler } from './commands/execute-collection-command.js';
import { ConductPolicies } from './conduct-policy.provider.js';
import { ContactHistoryReader } from './contact-history.reader.js';
import { ContactPermissionService } from './contact-permission.service.js';
import { CollectionsController } from './http/collections.controller.js';
import { LoanDirectory } from './loan-directory.js';

@Module({
  imports: [OverdueStatusModule],
  controllers: [CollectionsController, CollectionQueueController],
  providers: [BorrowerLoanZones, ExecuteCollectionCommandHandler, ConductPolicies, ContactPermissionService, ContactHistoryReader, LoanDirectory, CollectionQueueReader],
})
export class CollectionsModule {}
