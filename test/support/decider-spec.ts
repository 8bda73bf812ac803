import type { Decider, DomainEvent } from '../../src/kernel/decider.js';

/**
 * Given-events / when-command / then-events for a pure decider:
 *   given(decider, history).when(command).then(expectedEvents)
 *   given(decider, history).when(command).thenRejects(code)
 */
export function given<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: readonly E[]) {
  const state = history.reduce(decider.evolve, decider.initialState());
  return {
    state,
    when(command: C) {
      const decide = () => decider.decide(command, state);
      return {
        then(expected: readonly E[] | ((events: readonly E[]) => void)) {
          const events = decide();
          if (typeof expected === 'function') expected(events);
          else expect(events).toEqual(expected);
          return events;
        },
        thenRejects(code: string, kind?: string) {
          let error: unknown;
          try {
            decide();
          } catch (e) {
            error = e;
          }
          expect(error).toMatchObject({ code, ...(kind && { kind }) });
        },
      };
    },
  };
}
