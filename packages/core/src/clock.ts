import { runtime } from './runtimeGlobals.js';

/**
 * Where the bus reads time: `now()` in milliseconds for durations, `wallTime()` for record
 * timestamps. Tests inject a fake one.
 *
 * @example
 * ```ts
 * let t = 0;
 * const bus = new InMemoryEventBus({ clock: { now: () => t, wallTime: () => 1_700_000_000_000 + t } });
 * ```
 */
export interface Clock {
  now(): number;
  wallTime(): number;
}

/** The clock of the platform: `performance.now()` and `Date.now()`. */
export const systemClock: Clock = {
  now: () => runtime.performance.now(),
  wallTime: () => Date.now(),
};
