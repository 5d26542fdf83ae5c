/**
 * How long to wait before reconnect attempt `attempt` (0 for the first): 1 s doubling to at most 30 s, each scaled by
 * a random factor in [0.5, 1) so that browsers dropped together by a restart do not all come back in the same
 * instant. `random` is injectable for tests.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 15));
  return Math.max(1_000, Math.round(base * (0.5 + random() / 2)));
}
