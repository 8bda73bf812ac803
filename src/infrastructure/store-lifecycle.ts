import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { READ_MODEL_DB, type ReadModelDb } from './projections/contract/projection.js';

/** Closes the stores last, after HTTP has drained and projections have committed their batch. */
@Injectable()
export class StoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDb,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
    await this.readModels.destroy();
  }
}
