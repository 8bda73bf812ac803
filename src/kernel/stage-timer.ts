/**
 * Where a request's time goes, stage by stage (issue 23): an opt-in recorder the shell
 * injects (src/http/stage-timing.ts, enabled by ARREARS_PROFILE_STAGES=1). The pure core
 * reads no clock of its own: it asks the recorder for `now()` and hands back how long a
 * stage took. Off, both are no-ops and cost a call each.
 */
export interface StageTimer {
  readonly enabled: boolean;
  /** A reading of the recorder's clock, in milliseconds (0 when off). */
  now(): number;
  /** Adds the time since `since` (a reading of now()) to the stage. */
  add(stage: string, since: number): void;
}

export const NO_STAGE_TIMER: StageTimer = {
  enabled: false,
  now: () => 0,
  add: () => {},
};
