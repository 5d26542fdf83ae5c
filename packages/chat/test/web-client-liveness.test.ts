import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANSWER_MS, IDLE_MS, Liveness } from '../web/liveness.js';

describe('web client liveness', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pings after a silence, and declares the link dead when the answer does not come', () => {
    const events: string[] = [];
    const liveness = new Liveness(
      () => events.push('ping'),
      () => events.push('dead'),
    );
    liveness.heard();
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['ping']);
    vi.advanceTimersByTime(ANSWER_MS - 1);
    expect(events).toEqual(['ping']);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['ping', 'dead']);
  });

  it('starts the wait again on anything heard, the answer included; stop ends it', () => {
    const events: string[] = [];
    const liveness = new Liveness(
      () => events.push('ping'),
      () => events.push('dead'),
    );
    liveness.heard();
    vi.advanceTimersByTime(IDLE_MS - 10);
    liveness.heard();
    vi.advanceTimersByTime(IDLE_MS - 10);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(events).toEqual(['ping']);
    liveness.heard(); // the PONG
    vi.advanceTimersByTime(ANSWER_MS);
    expect(events).toEqual(['ping']);
    liveness.stop();
    vi.advanceTimersByTime(10 * IDLE_MS);
    expect(events).toEqual(['ping']);
  });
});
