import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { ProjectionsService } from '../../src/infrastructure/projections/projections.service.js';

/** GET once every projection has applied everything appended so far: reads see the writes before them. */
export async function getWhenProjected(app: NestFastifyApplication, url: string): Promise<any> {
  const head = await app.get<EventStore>(EVENT_STORE).headPosition();
  const projections = app.get(ProjectionsService);
  for (const report of await projections.reports()) await projections.ensureCaughtUp(report.name, head);
  return (await app.inject({ method: 'GET', url })).json();
}
