import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Projection } from './contract/projection.js';
import { ProjectionsController } from './projections.controller.js';
import { ProjectionsService } from './projections.service.js';
import { PROJECTIONS } from './projections.token.js';

/** The projection runtime, running the read models' projections the composition hands it (app/). */
@Global()
@Module({})
export class ProjectionsModule {
  static forRoot(projections: () => Projection[]): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [{ provide: PROJECTIONS, useFactory: projections }, ProjectionsService],
      controllers: [ProjectionsController],
      exports: [ProjectionsService],
    };
  }
}
