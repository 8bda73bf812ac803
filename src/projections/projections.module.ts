import { Module } from '@nestjs/common';
import { ProjectionsController } from './projections.controller.js';
import { ProjectionsService } from './projections.service.js';
import { PROJECTIONS } from './projections.token.js';
import { CobWorkIndexProjection } from './cob-work-index/cob-work-index.projection.js';
import { CollectionQueueProjection } from './collection-queue/collection-queue.projection.js';
import { LoanRegisterProjection } from './loan-register/loan-register.projection.js';
import { OverdueStatusProjection } from './overdue-status/overdue-status.projection.js';
import { StreamCatalogueProjection } from './stream-catalogue/stream-catalogue.projection.js';

@Module({
  providers: [{ provide: PROJECTIONS, useFactory: () => [new StreamCatalogueProjection(), new LoanRegisterProjection(), new CobWorkIndexProjection(), new OverdueStatusProjection(), new CollectionQueueProjection()] }, ProjectionsService],
  controllers: [ProjectionsController],
  exports: [ProjectionsService],
})
export class ProjectionsModule {}
