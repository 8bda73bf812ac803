import { Module } from '@nestjs/common';
import { ExecuteCollectionCommandHandler } from './commands/execute-collection-command.js';
import { ConductPolicies } from './conduct-policy.provider.js';
import { ContactPermissionService } from './contact-permission.service.js';
import { CollectionsController } from './http/collections.controller.js';
import { LoanDirectory } from './loan-directory.js';

@Module({
  controllers: [CollectionsController],
  providers: [ExecuteCollectionCommandHandler, ConductPolicies, ContactPermissionService, LoanDirectory],
})
export class CollectionsModule {}
