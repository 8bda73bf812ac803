import type { GlobalPosition } from '../../../kernel/event-store/event-store.port.js';

/** `standby`: another instance holds this projection's lease and runs it. */
export type ProjectionState = 'idle' | 'rebuilding' | 'catching-up' | 'live' | 'failed' | 'stopped' | 'standby';

/** The event a projection's handler threw on; the projection stops there until restarted. */
export interface ProjectionFailure {
  position: GlobalPosition;
  eventId: string;
  eventType: string;
  stream: string;
  message: string;
  failedAt: string;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  checkpoint: GlobalPosition;
  state: ProjectionState;
  failure?: ProjectionFailure;
}
