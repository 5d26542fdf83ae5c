/** What an idempotency key holds, as far as deciding a new claim on it goes. */
export interface HeldKey {
  fingerprint: string;
  state: 'in_flight' | 'done';
  responseStatus: number | null;
  responseBody: string | null;
  createdAt: string;
  expiresAt: string;
}

export type ClaimDecision =
  /** Nothing held: insert a fresh claim. */
  | { kind: 'insert' }
  /** Expired, or claimed by a request that died before committing: overwrite it with a fresh claim. */
  | { kind: 'take_over' }
  | { kind: 'mismatch' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'in_flight' };

/**
 * Decide a claim on a key from what it holds right now (read under the
 * dialect's lock). A finished key replays its answer, a different request body
 * under the same key is refused, and an unfinished claim older than
 * `staleBefore` counts as abandoned: completion is part of the checkout
 * transaction, so nothing was written under it.
 */
export function decideClaim(
  held: HeldKey | undefined,
  input: { fingerprint: string; now: string; staleBefore: string },
): ClaimDecision {
  if (!held) return { kind: 'insert' };
  if (held.expiresAt <= input.now) return { kind: 'take_over' };
  if (held.fingerprint !== input.fingerprint) return { kind: 'mismatch' };
  if (held.state === 'done' && held.responseStatus !== null && held.responseBody !== null) {
    return { kind: 'replay', status: held.responseStatus, body: held.responseBody };
  }
  if (held.createdAt < input.staleBefore) return { kind: 'take_over' };
  return { kind: 'in_flight' };
}
