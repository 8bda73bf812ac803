import { Controller, Get } from '@nestjs/common';
import { Roles } from '../../auth/access.decorators.js';
import { READERS } from '../../auth/roles.js';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ProjectionReportDto } from './projection-report.dto.js';
import { ProjectionsService } from './projections.service.js';

@ApiTags('projections')
@Roles(...READERS, 'admin')
@Controller('projections')
export class ProjectionsController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOkResponse({ type: [ProjectionReportDto], description: 'Each projection: version, checkpoint, lag and state' })
  list(): Promise<ProjectionReportDto[]> {
    return this.projections.reports();
  }
}
