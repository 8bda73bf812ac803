import { closeOfBusinessRunsDecider } from '../../src/close-of-business/domain/close-of-business-runs.js';
import { foldStream } from '../../src/kernel/event-store/fold-stream.js';

describe('the record of close-of-business runs', () => {
  const { initialState, evolve, decide } = closeOfBusinessRunsDecider;
  const started = (...dates: string[]) => dates.map((businessDate) => ({ type: 'CloseOfBusinessStarted' as const, data: { businessDate } }));

  it("records a date's first start, and nothing for a date started before", () => {
    const state = started('2026-03-01', '2026-03-03').reduce(evolve, initialState());
    expect(decide({ businessDate: '2026-03-02' }, state)).toEqual(started('2026-03-02'));
    expect(decide({ businessDate: '2026-03-03' }, state)).toEqual([]);
    expect(decide({ businessDate: '2026-03-01' }, state)).toEqual([]);
  });

  it('loads a long record as evolving it event by event would', () => {
    const events = Array.from({ length: 400 }, (_, day) => started(new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10))[0]!);
    const stored = events.map((event, revision) => ({ ...event, revision }));
    expect(foldStream(closeOfBusinessRunsDecider, stored as never)).toEqual(events.reduce(evolve, initialState()));
    expect(foldStream(closeOfBusinessRunsDecider, stored as never).startedOn).toHaveLength(400);
  });
});
