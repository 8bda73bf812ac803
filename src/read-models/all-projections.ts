import type { Projection } from '../infrastructure/projections/contract/projection.js';
import { CobWorkIndexProjection } from './cob-work-index/cob-work-index.projection.js';
import { CollectionQueueProjection } from './collection-queue/collection-queue.projection.js';
import { LoanRegisterProjection } from './loan-register/loan-register.projection.js';
import { OverdueStatusProjection } from './overdue-status/overdue-status.projection.js';
import { StreamCatalogueProjection } from './stream-catalogue/stream-catalogue.projection.js';

/** Every projection the engine runs, in the order they are listed at GET /projections. */
export function allProjections(): Projection[] {
  return [new StreamCatalogueProjection(), new LoanRegisterProjection(), new CobWorkIndexProjection(), new OverdueStatusProjection(), new CollectionQueueProjection()];
}
