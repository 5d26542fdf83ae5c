/**
 * Every timeout the server uses goes through this, so tests can pass
 * millisecond durations or a fake clock instead of waiting 90 seconds.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** Opaque: whatever the clock's setTimeout returned. */
export type TimerHandle = ReturnType<typeof setTimeout> | number;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};
