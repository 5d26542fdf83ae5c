import type { Clock } from './clock.js';

/**
 * A token bucket: `burst` lines at once, then `perSecond`. Lines over the
 * rate wait (in order) instead of being dropped, as in other ircds; only a
 * client whose waiting lines pile past `queueMax` is cut off.
 */
export class FloodGate {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Take a token if there is one. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token. */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }
}
