import { Module } from '@nestjs/common';
import { allProjections } from './all-projections.js';
import { ProjectionsController } from './projections.controller.js';
import { ProjectionsService } from './projections.service.js';
import { PROJECTIONS } from './projections.token.js';

@Module({
  providers: [{ provide: PROJECTIONS, useFactory: allProjections }, ProjectionsService],
  controllers: [ProjectionsController],
  exports: [ProjectionsService],
})
export class ProjectionsModule {}
