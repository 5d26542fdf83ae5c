/** Keys remembered at most; the oldest is forgotten first, so a flood of addresses cannot grow memory. */
const MAX_TRACKED_KEYS = 10_000;

/**
 * Attempts per key (a client address, an account) in a sliding window, for ASVS 2.2.1's bounds on guessing and on
 * registrations. An attempt is counted before the work it allows (bcrypt) starts, so that parallel connections
 * cannot all be let through while the first are still being judged; a success may be taken back with `forgive`.
 */
export class AttemptWindow {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Count an attempt: its time (for `forgive`), or undefined, counting nothing, when the key has used its window. */
  take(key: string): number | undefined {
    const at = this.now();
    const recent = (this.attempts.get(key) ?? []).filter((t) => t > at - this.windowMs);
    if (recent.length >= this.limit) return undefined;
    recent.push(at);
    // Delete and set: the key moves to the end of the map's order, which is how the oldest is found.
    this.attempts.delete(key);
    this.attempts.set(key, recent);
    if (this.attempts.size > MAX_TRACKED_KEYS) this.attempts.delete(this.attempts.keys().next().value!);
    return at;
  }

  /** Take back an attempt `take` counted at `at` (it succeeded, and only failures should count). */
  forgive(key: string, at: number): void {
    const recent = this.attempts.get(key);
    const index = recent?.indexOf(at) ?? -1;
    if (index !== -1) recent!.splice(index, 1);
  }
}
