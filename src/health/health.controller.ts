import { Controller, Get, Inject } from '@nestjs/common';
import { Public } from '../auth/access.decorators.js';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { ProjectionsService } from '../infrastructure/projections/projections.service.js';
import { HealthDto } from './health.dto.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  /** Answers only if the event store can be read; a store error becomes a 500. */
  @Get()
  @ApiOkResponse({ type: HealthDto })
  async check(): Promise<HealthDto> {
    const headPosition = await this.events.headPosition();
    const failedProjections = (await this.projections.reports()).filter((p) => p.state === 'failed').map((p) => p.name);
    return { status: failedProjections.length > 0 ? 'degraded' : 'ok', headPosition, failedProjections };
  }
}
