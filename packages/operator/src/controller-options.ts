import { type Clock, systemClock } from '@steward/runtime';

/** What every controller is registered with. */
export interface ControllerOptions {
  /** Watch one namespace only; default: all. */
  namespace?: string | undefined;
  /** Injected in tests, so time-driven decisions run without waiting. */
  clock?: Clock;
}

/** The informer scope and the clock that `options` ask for. */
export function scopeAndClock(options: ControllerOptions): { scope: { namespace?: string }; clock: Clock } {
  return {
    scope: options.namespace ? { namespace: options.namespace } : {},
    clock: options.clock ?? systemClock,
  };
}
